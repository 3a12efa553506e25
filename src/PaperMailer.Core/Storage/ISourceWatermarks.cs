namespace PaperMailer.Storage;

/// <summary>
/// How far each source got, kept in the database so a run after downtime continues from there. The position is the
/// source's own notion (a date for Hugging Face, an update time for arXiv), stored as text.
/// </summary>
public interface ISourceWatermarks
{
    Task<string?> GetAsync(string source, CancellationToken cancellationToken = default);

    Task SetAsync(string source, string position, DateTimeOffset at, CancellationToken cancellationToken = default);
}
