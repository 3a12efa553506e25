using System.Net.Sockets;
using Npgsql;
using PaperMailer.Configuration;

namespace PaperMailer.Storage.Postgres;

/// <summary>
/// The PostgreSQL database: one <see cref="NpgsqlDataSource"/> (one connection pool) per process, and the schema
/// brought up to date once per process before the first connection is handed out.
/// </summary>
public sealed class PostgresDatabase : IStoreDatabase, IAsyncDisposable, IDisposable
{
    private readonly SemaphoreSlim _migrateLock = new(1, 1);
    private readonly string _endpoint;
    private volatile bool _migrated;

    /// <param name="connectionString">Checked at start (StorageOptionsRules); nothing connects until the first open.</param>
    public PostgresDatabase(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        _endpoint = $"{builder.Host}:{builder.Port}";
        DataSource = NpgsqlDataSource.Create(builder);
    }

    /// <summary>The pool every store (and Quartz's job store) opens connections from.</summary>
    public NpgsqlDataSource DataSource { get; }

    /// <summary>The connection string as configured (with its password): for Quartz's job store on the same database.</summary>
    public string ConnectionString => DataSource.ConnectionString;

    public async Task<NpgsqlConnection> OpenAsync(CancellationToken cancellationToken = default)
    {
        if (!_migrated)
        {
            await MigrateAsync(cancellationToken);
        }
        return await DataSource.OpenConnectionAsync(cancellationToken);
    }

    public async Task MigrateAsync(CancellationToken cancellationToken = default)
    {
        await _migrateLock.WaitAsync(cancellationToken);
        try
        {
            if (_migrated) return;
            await using var connection = await DataSource.OpenConnectionAsync(cancellationToken);
            await PostgresMigrations.ApplyAsync(connection, cancellationToken);
            _migrated = true;
        }
        catch (Exception ex) when (ex is NpgsqlException or SocketException or TimeoutException && !cancellationToken.IsCancellationRequested)
        {
            throw new CannotStartException(Unusable(ex), ex);
        }
        finally
        {
            _migrateLock.Release();
        }
    }

    // Npgsql's messages name the host but never the password; the reason is its first sentence only.
    private string Unusable(Exception ex)
    {
        var where = $"The PostgreSQL database at {_endpoint} (Storage:ConnectionString)";
        return ex switch
        {
            PostgresException pg when pg.SqlState is PostgresErrorCodes.InvalidPassword or PostgresErrorCodes.InvalidAuthorizationSpecification =>
                $"{where} refused the login: {pg.MessageText}.",
            PostgresException pg when pg.SqlState is PostgresErrorCodes.InvalidCatalogName =>
                $"{where} does not exist: {pg.MessageText}; create it first.",
            PostgresException pg => $"{where} cannot be used: {pg.MessageText}.",
            _ when ex.InnerException is SocketException or TimeoutException || ex is SocketException or TimeoutException =>
                $"{where} cannot be reached; check that the server is running and accepts connections there.",
            _ => $"{where} cannot be used: {ex.Message.Split(". ")[0].TrimEnd('.')}.",
        };
    }

    public ValueTask DisposeAsync() => DataSource.DisposeAsync();

    public void Dispose() => DataSource.Dispose();
}
