using Npgsql;

namespace PaperMailer.Testing;

/// <summary>
/// A throwaway database on the PostgreSQL test server: created empty for one test (or one test class) and dropped,
/// with whatever connections are still open to it, when disposed. Tests never share a database, so they run in
/// parallel and leave nothing behind.
/// </summary>
public sealed class PostgresTestDatabase : IAsyncDisposable
{
    /// <summary>An Npgsql connection string to the server's admin database, as a role that may create databases.</summary>
    public const string Variable = "PAPERMAILER_TEST_POSTGRES";

    public const string MissingReason =
        Variable + " is not set: start the test servers (scripts/test-servers.sh start) with Debian's postgresql installed.";

    public static bool Available => !string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(Variable));

    private readonly string _adminConnectionString;

    private PostgresTestDatabase(string adminConnectionString, string name, string connectionString)
    {
        _adminConnectionString = adminConnectionString;
        Name = name;
        ConnectionString = connectionString;
    }

    public string Name { get; }

    /// <summary>The connection string of the new database (the admin one with Database replaced).</summary>
    public string ConnectionString { get; }

    public static async Task<PostgresTestDatabase> CreateAsync()
    {
        string admin = TestEnvironment.Require(Variable, MissingReason);
        string name = "papermailer_test_" + Guid.NewGuid().ToString("N");
        await using (var connection = new NpgsqlConnection(admin))
        {
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
            await create.ExecuteNonQueryAsync();
        }

        var builder = new NpgsqlConnectionStringBuilder(admin) { Database = name };
        return new PostgresTestDatabase(admin, name, builder.ConnectionString);
    }

    public async ValueTask DisposeAsync()
    {
        // Pooled connections of the code under test would otherwise keep the database busy.
        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection(_adminConnectionString);
        await connection.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {Name} WITH (FORCE)", connection);
        await drop.ExecuteNonQueryAsync();
    }
}
