using Npgsql;
using PaperMailer.Storage;
using PaperMailer.Storage.Postgres;
using PaperMailer.Storage.Sqlite;
using PaperMailer.Testing;

namespace PaperMailer.Tests.Storage;

/// <summary>Both providers follow the one list of schema steps, and PostgreSQL nodes starting together migrate once.</summary>
public sealed class SchemaMigrationTests
{
    [Fact]
    public void Both_providers_have_sql_for_every_schema_step_and_no_other()
    {
        var steps = StoreSchema.Steps.Select(s => s.Version).ToList();

        Assert.Equal(Enumerable.Range(1, steps.Count), steps);
        Assert.Equal(steps, SqliteMigrations.Steps.Select(s => s.Version));
        Assert.Equal(steps, PostgresMigrations.Steps.Select(s => s.Version));
    }

    [PostgresFact]
    public async Task Several_nodes_starting_at_once_on_a_fresh_database_all_start_and_each_step_is_applied_once()
    {
        await using var database = await PostgresTestDatabase.CreateAsync();
        var nodes = Enumerable.Range(0, 6).Select(_ => new PostgresDatabase(database.ConnectionString)).ToList();
        try
        {
            await Task.WhenAll(nodes.Select(node => Task.Run(() => node.MigrateAsync())));

            await using var connection = new NpgsqlConnection(database.ConnectionString);
            await connection.OpenAsync();
            await using var applied = new NpgsqlCommand("SELECT version FROM schema_migrations ORDER BY version", connection);
            var versions = new List<int>();
            await using (var reader = await applied.ExecuteReaderAsync())
            {
                while (await reader.ReadAsync()) versions.Add(reader.GetInt32(0));
            }
            Assert.Equal(StoreSchema.Steps.Select(s => s.Version), versions);
            Assert.Equal(StoreSchema.LatestVersion, versions[^1]);
            // Every node sees the finished schema: each can use the ledger at once.
            foreach (var node in nodes) Assert.Empty(await new PostgresDeliveryLedger(node).ListAsync());
        }
        finally
        {
            foreach (var node in nodes) await node.DisposeAsync();
        }
    }

    [PostgresFact]
    public async Task A_node_started_against_a_migrated_database_changes_nothing()
    {
        await using var database = await PostgresTestDatabase.CreateAsync();
        await using (var first = new PostgresDatabase(database.ConnectionString)) await first.MigrateAsync();
        var before = await AppliedAtAsync(database.ConnectionString);

        await using (var second = new PostgresDatabase(database.ConnectionString)) await second.MigrateAsync();

        Assert.Equal(before, await AppliedAtAsync(database.ConnectionString));
    }

    private static async Task<List<DateTime>> AppliedAtAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT applied_at FROM schema_migrations ORDER BY version", connection);
        var times = new List<DateTime>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync()) times.Add(reader.GetDateTime(0));
        return times;
    }
}
