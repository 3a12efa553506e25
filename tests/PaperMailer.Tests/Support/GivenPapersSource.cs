using PaperMailer.Collect;
using PaperMailer.Domain;

namespace PaperMailer.Tests.Support;

/// <summary>A source that returns the papers it was given, for collecting them the way a real source's are collected.</summary>
public sealed class GivenPapersSource(IReadOnlyList<Paper> papers) : IPaperSource
{
    public string Name => "given";

    public Task<IReadOnlyList<Paper>> FetchAsync(CancellationToken cancellationToken) => Task.FromResult(papers);
}
