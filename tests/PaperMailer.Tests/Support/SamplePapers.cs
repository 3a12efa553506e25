using PaperMailer.Collect;
using PaperMailer.Domain;

namespace PaperMailer.Tests.Support;

public static class SamplePapers
{
    public static string FilePath => TestRepository.PathOf("samples", "hf-daily-papers.json");

    public static IReadOnlyList<Paper> Load() => PaperFileReader.ReadFileAsync(FilePath).GetAwaiter().GetResult();

    public static Paper Make(string id, string title, string abstractText, DateTimeOffset? firstSeen = null) => new()
    {
        Id = id,
        Title = title,
        Abstract = abstractText,
        Source = "file",
        FirstSeenAt = firstSeen ?? DateTimeOffset.UnixEpoch,
    };
}
