using PaperMailer.Domain;
using PaperMailer.Rank;

namespace PaperMailer.Subscriptions;

/// <summary>Checks a subscriber's fields before it is stored; each problem is one sentence naming the field.</summary>
public static class SubscriberRules
{
    public const int MaxKeywords = 50;
    public const int MaxKeywordLength = 100;
    public const int MaxPapersLimit = 50;

    /// <summary>The problem of a subscriber who asked for nothing at all.</summary>
    public const string NoProfile = "profile: pick at least one topic or keyword, or Trending today";

    public static IReadOnlyList<string> Problems(Subscriber subscriber, IReadOnlyList<Topic> topics) =>
        Problems(subscriber, topics, IsTimeZone);

    /// <summary>
    /// As above, with the time zone check supplied by the caller: bulk callers pass a cached <see cref="IsTimeZone"/>,
    /// because the system lookup reads the time zone database for every id it has not already loaded.
    /// </summary>
    public static IReadOnlyList<string> Problems(Subscriber subscriber, IReadOnlyList<Topic> topics, Func<string?, bool> isTimeZone)
    {
        var problems = new List<string>();
        if (EmailAddressRules.Problem(subscriber.Email) is { } emailProblem) problems.Add($"email: {emailProblem}");
        if (subscriber.Name is { Length: > 200 }) problems.Add("name: longer than 200 characters");
        if (!isTimeZone(subscriber.TimeZone)) problems.Add($"timezone: \"{subscriber.TimeZone}\" is not an IANA time zone such as Europe/Berlin");
        if (subscriber.DeliveryHour is < 0 or > 23) problems.Add($"hour: {subscriber.DeliveryHour} is not an hour from 0 to 23");
        if (subscriber.MaxPapers is < 1 or > MaxPapersLimit) problems.Add($"max papers: {subscriber.MaxPapers} is not between 1 and {MaxPapersLimit}");
        var profile = subscriber.Profile;
        if (profile.Keywords.Count + profile.Exclusions.Count > MaxKeywords) problems.Add($"keywords: more than {MaxKeywords} keywords and exclusions");
        foreach (var keyword in profile.Keywords.Concat(profile.Exclusions).Where(k => k.Length > MaxKeywordLength))
        {
            problems.Add($"keywords: \"{keyword[..20]}…\" is longer than {MaxKeywordLength} characters");
        }
        // "Trending today" alone is a profile too: Hugging Face's most upvoted papers, as its own newsletter sends them.
        if (profile.Topics.Count == 0 && profile.Keywords.Count == 0 && !profile.Trending) problems.Add(NoProfile);
        // What the profile means and what is wrong with it is the profile parser's to say, as the ranker reads it.
        var check = ProfileParser.Check(profile, topics);
        problems.AddRange(check.Problems.Select(p => p.ToString()));
        return problems;
    }

    public static bool IsTimeZone(string? id) =>
        !string.IsNullOrWhiteSpace(id) && TimeZoneInfo.TryFindSystemTimeZoneById(id, out _);
}
