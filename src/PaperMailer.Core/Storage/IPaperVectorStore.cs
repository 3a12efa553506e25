namespace PaperMailer.Storage;

/// <summary>
/// Each paper's embedding, kept beside the paper: one vector per paper and the model that made it. A vector of another
/// model counts as missing, so a change of model re-embeds the papers; a paper whose title or abstract changes loses its
/// vector (the paper store drops it) and is embedded again.
/// </summary>
public interface IPaperVectorStore
{
    /// <summary>Stores the vectors, replacing any a paper had (of whichever model), in one transaction.</summary>
    Task SaveAsync(string model, IReadOnlyList<PaperVector> vectors, DateTimeOffset at, CancellationToken cancellationToken = default);

    /// <summary>The vectors by <paramref name="model"/> of those of the papers that have one, read in one query.</summary>
    Task<IReadOnlyDictionary<string, float[]>> GetAsync(string model, IReadOnlyCollection<string> paperIds, CancellationToken cancellationToken = default);

    /// <summary>Ids of papers first seen at or after <paramref name="since"/> with no vector by <paramref name="model"/>, newest first.</summary>
    Task<IReadOnlyList<string>> MissingAsync(string model, DateTimeOffset since, int limit, CancellationToken cancellationToken = default);
}

public sealed record PaperVector(string PaperId, float[] Vector);
