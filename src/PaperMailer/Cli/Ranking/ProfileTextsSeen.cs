using PaperMailer.Rank;

namespace PaperMailer.Cli.Ranking;

/// <summary>
/// Of the profiles of a file, as it is read, those that bring a keyword or topic no profile before them had: together
/// they need every vector the whole file needs, and there are at most as many as the file has distinct keywords and
/// topics (45 for 100,000 profiles typed from one list), so a file of any length is prepared for from a short list.
/// </summary>
internal sealed class ProfileTextsSeen
{
    private readonly HashSet<string> _keywords = new(StringComparer.Ordinal);
    private readonly HashSet<string> _topics = new(StringComparer.Ordinal);
    private readonly List<RankingProfile> _profiles = [];

    public IReadOnlyList<RankingProfile> Profiles => _profiles;

    public void Add(IEnumerable<RankingProfile> profiles)
    {
        foreach (var profile in profiles)
        {
            var added = false;
            foreach (var keyword in profile.Keywords) added |= _keywords.Add(keyword.Text);
            foreach (var topic in profile.Topics) added |= _topics.Add(topic.Id);
            if (added) _profiles.Add(profile);
        }
    }
}
