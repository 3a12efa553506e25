using Npgsql;
using PaperMailer.Testing;

namespace PaperMailer.Tests.Testing;

/// <summary>Each test gets an empty database of its own on the PostgreSQL test server, and it is gone afterwards.</summary>
public sealed class PostgresTestDatabaseTests
{
    [PostgresFact]
    public async Task A_database_is_created_empty_and_dropped_on_dispose()
    {
        string name;
        await using (PostgresTestDatabase database = await PostgresTestDatabase.CreateAsync())
        {
            name = database.Name;
            await using var connection = new NpgsqlConnection(database.ConnectionString);
            await connection.OpenAsync();
            Assert.Equal(name, connection.Database);
            await using var tables = new NpgsqlCommand("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'", connection);
            Assert.Equal(0L, await tables.ExecuteScalarAsync());
        }

        Assert.False(await DatabaseExistsAsync(name));
    }

    private static async Task<bool> DatabaseExistsAsync(string name)
    {
        await using var connection = new NpgsqlConnection(Environment.GetEnvironmentVariable(PostgresTestDatabase.Variable));
        await connection.OpenAsync();
        await using var exists = new NpgsqlCommand("SELECT count(*) FROM pg_database WHERE datname = @name", connection);
        exists.Parameters.AddWithValue("name", name);
        return (long)(await exists.ExecuteScalarAsync())! > 0;
    }
}
