using PaperMailer.Domain;

namespace PaperMailer.Collect;

/// <summary>Somewhere papers come from. A source only reads; storing and merging is the collector's job.</summary>
public interface IPaperSource
{
    /// <summary>Short name used in logs and summaries ("file", "hf", "arxiv").</summary>
    string Name { get; }

    Task<IReadOnlyList<Paper>> FetchAsync(CancellationToken cancellationToken);
}

/// <summary>A payload that cannot be read as papers; the message names the source and the position.</summary>
public sealed class PaperFormatException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>
/// A source that continues where it stopped: it is given its stored watermark (null on the first run) and an optional
/// start date from the operator, and returns the papers with the watermark to store once they are safely stored.
/// </summary>
public interface IIncrementalPaperSource : IPaperSource
{
    Task<SourceFetch> FetchSinceAsync(SourceRequest request, CancellationToken cancellationToken);
}

/// <param name="Watermark">What the previous successful run stored, or null.</param>
/// <param name="Since">Collect from this day on, whatever the watermark says (still within the horizon).</param>
public sealed record SourceRequest(string? Watermark, DateOnly? Since);

public sealed record SourceFetch(IReadOnlyList<Paper> Papers, string? Watermark);
