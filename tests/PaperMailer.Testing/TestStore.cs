using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using PaperMailer.Storage;

namespace PaperMailer.Testing;

/// <summary>
/// The store a test works on, of the provider the suite is pointed at (<see cref="TestStorage.Default"/>) unless the
/// test chooses: a SQLite file in the test's folder, or a throwaway database on the PostgreSQL test server, dropped on
/// dispose. Programs and commands get it as settings, arguments or environment variables; the test reads and writes
/// it through the store contracts, composed as the program composes them.
/// </summary>
public sealed class TestStore : IAsyncDisposable, IDisposable
{
    private readonly PostgresTestDatabase? _postgres;
    private readonly Lazy<ServiceProvider> _stores;

    private TestStore(StorageProvider provider, string connectionString, PostgresTestDatabase? postgres)
    {
        Provider = provider;
        ConnectionString = connectionString;
        _postgres = postgres;
        _stores = new Lazy<ServiceProvider>(() =>
        {
            var services = new ServiceCollection();
            services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(Settings).Build());
            return services.AddStorage().BuildServiceProvider();
        });
    }

    public StorageProvider Provider { get; }

    public string ConnectionString { get; }

    /// <summary>Storage:Provider and Storage:ConnectionString, as configuration keys.</summary>
    public IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Storage:Provider"] = Provider.ToString(),
        ["Storage:ConnectionString"] = ConnectionString,
    };

    /// <summary>The same as command-line arguments ("--Storage:Provider=…").</summary>
    public string[] Arguments => [.. Settings.Select(s => $"--{s.Key}={s.Value}")];

    /// <summary>The same as environment variables ("Storage__Provider"); a command's own arguments override them.</summary>
    public IReadOnlyDictionary<string, string?> Environment => Settings.ToDictionary(s => s.Key.Replace(":", "__", StringComparison.Ordinal), s => s.Value);

    /// <param name="folder">Where the SQLite file papermailer.db goes (created on first use, not here).</param>
    /// <param name="provider">Default: <see cref="TestStorage.Default"/>.</param>
    public static async Task<TestStore> CreateAsync(string folder, StorageProvider? provider = null)
    {
        if ((provider ?? TestStorage.Default) == StorageProvider.Sqlite)
        {
            return new TestStore(StorageProvider.Sqlite, $"Data Source={Path.Combine(folder, "papermailer.db")}", null);
        }
        var postgres = await PostgresTestDatabase.CreateAsync();
        return new TestStore(StorageProvider.Postgres, postgres.ConnectionString, postgres);
    }

    /// <summary>A database the test made another way (a cluster's own server, say): used as it is, never dropped here.</summary>
    public static TestStore Existing(StorageProvider provider, string connectionString) => new(provider, connectionString, null);

    /// <inheritdoc cref="CreateAsync"/>
    /// <remarks>For constructors of test classes, which cannot wait.</remarks>
    public static TestStore Create(string folder, StorageProvider? provider = null) => CreateAsync(folder, provider).GetAwaiter().GetResult();

    /// <summary>A store contract (<see cref="IDeliveryLedger"/>, <see cref="ISubscriberStore"/>, …) on this database.</summary>
    public T Get<T>() where T : notnull => _stores.Value.GetRequiredService<T>();

    /// <summary>Whether anything created the schema yet (a program that refused to start must not have).</summary>
    public async Task<bool> HasSchemaAsync()
    {
        if (Provider == StorageProvider.Sqlite)
        {
            return File.Exists(new SqliteConnectionStringBuilder(ConnectionString).DataSource);
        }
        await using var connection = await OpenAsync();
        await using var tables = connection.CreateCommand();
        tables.CommandText = "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'";
        return (long)(await tables.ExecuteScalarAsync())! > 0;
    }

    /// <summary>Runs SQL of this provider's dialect on the database, beside the program (to damage it, say).</summary>
    public async Task ExecuteAsync(string sql)
    {
        await using var connection = await OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }

    // Unpooled for SQLite: the file must be free once the test is done with it.
    private async Task<DbConnection> OpenAsync()
    {
        DbConnection connection = Provider == StorageProvider.Sqlite
            ? new SqliteConnection(new SqliteConnectionStringBuilder(ConnectionString) { Pooling = false }.ConnectionString)
            : new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        return connection;
    }

    public async ValueTask DisposeAsync()
    {
        if (_stores.IsValueCreated) await _stores.Value.DisposeAsync();
        // The file's folder goes with the test; pooled connections would keep it open.
        SqliteConnection.ClearAllPools();
        if (_postgres is not null) await _postgres.DisposeAsync();
    }

    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();
}
