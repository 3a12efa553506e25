using PaperMailer.Domain;

namespace PaperMailer.Collect;

/// <summary>Papers from a file on disk in the Hugging Face daily_papers shape (the offline demo and imports).</summary>
public sealed class PaperFileSource(string path) : IPaperSource
{
    public string Name => "file";

    public Task<IReadOnlyList<Paper>> FetchAsync(CancellationToken cancellationToken) => PaperFileReader.ReadFileAsync(path, cancellationToken);
}
