namespace PaperMailer.Storage;

/// <summary>
/// The database behind the stores, whichever provider holds it: what the program does with the database itself rather
/// than with its records. The stores migrate on first use too; calling this at start makes a database that cannot be
/// used stop the program with one sentence instead of failing the first job.
/// </summary>
public interface IStoreDatabase
{
    /// <summary>Brings the schema up to date (once per process; safe when several processes start at once).</summary>
    /// <exception cref="Configuration.CannotStartException">The database cannot be reached or used; the message names it, never a password.</exception>
    Task MigrateAsync(CancellationToken cancellationToken = default);
}
