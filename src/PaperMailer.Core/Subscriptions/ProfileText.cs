using PaperMailer.Domain;

namespace PaperMailer.Subscriptions;

/// <summary>A subscriber's profile said in words, as pages show it back to them: topics by name, not by id.</summary>
public static class ProfileText
{
    /// <summary>"topics LLM agents, Robotics; keywords tool use; leaving out medical; Trending today".</summary>
    public static string Describe(SubscriberProfile profile, IReadOnlyList<Topic> topics)
    {
        var parts = new List<string>();
        var names = profile.Topics.Select(id => topics.FirstOrDefault(t => string.Equals(t.Id, id, StringComparison.OrdinalIgnoreCase))?.Name ?? id).ToList();
        if (names.Count > 0) parts.Add($"topics {string.Join(", ", names)}");
        if (profile.Keywords.Count > 0) parts.Add($"keywords {string.Join(", ", profile.Keywords)}");
        if (profile.Exclusions.Count > 0) parts.Add($"leaving out {string.Join(", ", profile.Exclusions)}");
        if (profile.Trending) parts.Add("Trending today");
        return string.Join("; ", parts);
    }
}
