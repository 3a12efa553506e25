using Microsoft.Data.Sqlite;
using PaperMailer.Configuration;

namespace PaperMailer.Storage.Sqlite;

/// <summary>
/// Opens connections to the PaperMailer SQLite file and brings its schema up to date once per process.
/// WAL mode lets readers (the web pages, the CLI) work while a digest run writes.
/// </summary>
public sealed class SqliteDatabase : IStoreDatabase
{
    /// <summary>
    /// How long the check at start waits for another connection's write lock. PaperMailer's own write transactions
    /// (a commit group, a claim batch, a migration step) last milliseconds, so a lock still held after this is another
    /// program holding the database (an open sqlite3 shell, a backup) and waiting the usual 30 s would only delay
    /// the same failure. Later writes wait the full 30 s.
    /// </summary>
    public static readonly TimeSpan StartBusyTimeout = TimeSpan.FromSeconds(3);

    private const int BusyTimeoutSeconds = 30;

    private readonly string _connectionString;
    private readonly string _startConnectionString;
    private readonly string? _file;
    private readonly SemaphoreSlim _migrateLock = new(1, 1);

    /// <summary>
    /// This process's write transactions take turns here before they ask SQLite for its write lock. Without it two of
    /// them (a digest run's batch of new digests and its group of outcomes, say) collide in SQLite, whose busy handler
    /// makes the loser sleep 1, 2, 5, 10… ms before it looks again, however soon the lock is free: a run's producer
    /// slept away whole milliseconds that way while the cores waited for its work. A turn is handed over the moment
    /// the transaction before ends. Other processes still meet the busy timeout.
    /// </summary>
    private readonly SemaphoreSlim _writeTurn = new(1, 1);
    private volatile bool _migrated;

    /// <param name="connectionString">Checked at start (StorageOptionsRules); nothing is created until the first open.</param>
    public SqliteDatabase(string connectionString)
    {
        var builder = new SqliteConnectionStringBuilder(connectionString);
        if (string.IsNullOrWhiteSpace(builder.DataSource))
        {
            throw new ArgumentException("Storage:ConnectionString has no Data Source.", nameof(connectionString));
        }
        if (builder.DataSource != ":memory:" && builder.Mode != SqliteOpenMode.Memory)
        {
            _file = Path.GetFullPath(builder.DataSource);
            builder.DataSource = _file;
        }
        builder.Pooling = true;
        // Connections wait for a concurrent writer (another run, Quartz's own tables) instead of failing.
        builder.DefaultTimeout = BusyTimeoutSeconds;
        _connectionString = builder.ToString();
        builder.DefaultTimeout = (int)StartBusyTimeout.TotalSeconds;
        _startConnectionString = builder.ToString();
    }

    public string ConnectionString => _connectionString;

    public async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken = default)
    {
        if (!_migrated)
        {
            await MigrateAsync(cancellationToken);
        }
        return await OpenRawAsync(new SqliteConnection(_connectionString), BusyTimeoutSeconds, cancellationToken);
    }

    /// <summary>
    /// A connection for one write transaction, opened once this process's writes before it are done (see
    /// <see cref="_writeTurn"/>); disposing it lets the next one go. Never open a second one while holding one.
    /// </summary>
    public async Task<SqliteConnection> OpenForWritingAsync(CancellationToken cancellationToken = default)
    {
        if (!_migrated)
        {
            await MigrateAsync(cancellationToken);
        }
        await _writeTurn.WaitAsync(cancellationToken);
        return await OpenRawAsync(new WriteTurnConnection(_connectionString, _writeTurn), BusyTimeoutSeconds, cancellationToken);
    }

    /// <summary>Creates the file and its folder if needed and brings the schema up to date, once per process.</summary>
    /// <exception cref="CannotStartException">The database cannot be created, opened, or written to; the message names it.</exception>
    public async Task MigrateAsync(CancellationToken cancellationToken = default)
    {
        await _migrateLock.WaitAsync(cancellationToken);
        try
        {
            if (_migrated) return;
            if (_file is not null) Directory.CreateDirectory(Path.GetDirectoryName(_file)!);
            await using var connection = await OpenRawAsync(new SqliteConnection(_startConnectionString), (int)StartBusyTimeout.TotalSeconds, cancellationToken);
            await SqliteMigrations.ApplyAsync(connection, cancellationToken);
            _migrated = true;
        }
        catch (SqliteException ex)
        {
            throw new CannotStartException(Unusable(ex), ex);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new CannotStartException($"The database {_file} (Storage:ConnectionString) cannot be created: {ex.Message}", ex);
        }
        finally
        {
            _migrateLock.Release();
        }
    }

    private string Unusable(SqliteException ex)
    {
        var where = $"The database {_file ?? ":memory:"} (Storage:ConnectionString)";
        return ex.SqliteErrorCode switch
        {
            SQLitePCL.raw.SQLITE_BUSY or SQLitePCL.raw.SQLITE_LOCKED =>
                $"{where} is locked by another program (still after {StartBusyTimeout.TotalSeconds:0} s); close it or wait for it to finish, then start again.",
            SQLitePCL.raw.SQLITE_NOTADB => $"{where} is not a SQLite database.",
            SQLitePCL.raw.SQLITE_CANTOPEN or SQLitePCL.raw.SQLITE_PERM or SQLitePCL.raw.SQLITE_READONLY =>
                $"{where} cannot be opened for writing; check that the file and its folder exist and are writable by this user.",
            _ => $"{where} cannot be used: {ex.Message}",
        };
    }

    /// <summary>Opens <paramref name="connection"/> with the pragmas every connection gets; disposes it if that fails.</summary>
    private static async Task<SqliteConnection> OpenRawAsync(SqliteConnection connection, int busyTimeoutSeconds, CancellationToken cancellationToken)
    {
        try
        {
            await connection.OpenAsync(cancellationToken);
            await using var pragma = connection.CreateCommand();
            pragma.CommandText = $"PRAGMA journal_mode = WAL; PRAGMA foreign_keys = ON; PRAGMA busy_timeout = {busyTimeoutSeconds * 1000}; PRAGMA synchronous = NORMAL;";
            await pragma.ExecuteNonQueryAsync(cancellationToken);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>A connection that gives back this process's write turn when it is disposed, once.</summary>
    private sealed class WriteTurnConnection(string connectionString, SemaphoreSlim turn) : SqliteConnection(connectionString)
    {
        private int _released;

        protected override void Dispose(bool disposing)
        {
            try
            {
                base.Dispose(disposing);
            }
            finally
            {
                if (Interlocked.Exchange(ref _released, 1) == 0) turn.Release();
            }
        }
    }
}
