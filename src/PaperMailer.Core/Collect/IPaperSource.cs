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
