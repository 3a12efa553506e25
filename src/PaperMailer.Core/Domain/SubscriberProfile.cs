namespace PaperMailer.Domain;

/// <summary>
/// What a subscriber asks to read, as they gave it: preset topics, their own keyword items and exclusions in the
/// profile language (see <c>ProfileParser</c>), and "Trending today". What it means and what is wrong with it is
/// <c>ProfileParser</c>'s to say; the web form, the CLI, import, the stores and the ranker all pass this one value.
/// Two profiles are equal when their lists hold the same items in the same order.
/// </summary>
public sealed record SubscriberProfile
{
    /// <summary>Nothing asked for: no topic, keyword or exclusion, and not Trending today.</summary>
    public static SubscriberProfile Empty { get; } = new();

    /// <summary>Topic ids from config/topics.json; each adds its keywords to the profile.</summary>
    public IReadOnlyList<string> Topics { get; init; } = [];

    /// <summary>Keyword items as typed (a keyword, a "quoted phrase", -exclusion, topic:id, cat:…, author:…).</summary>
    public IReadOnlyList<string> Keywords { get; init; } = [];

    /// <summary>Terms that rule a paper out, each with or without its leading minus.</summary>
    public IReadOnlyList<string> Exclusions { get; init; } = [];

    /// <summary>
    /// "Trending today": the digest also carries the window's most upvoted Hugging Face papers (after the personal
    /// ones, none repeated); with no topics or keywords it carries only those.
    /// </summary>
    public bool Trending { get; init; }

    public bool Equals(SubscriberProfile? other) =>
        other is not null && Trending == other.Trending && Topics.SequenceEqual(other.Topics)
        && Keywords.SequenceEqual(other.Keywords) && Exclusions.SequenceEqual(other.Exclusions);

    public override int GetHashCode() => HashCode.Combine(Trending, Topics.Count, Keywords.Count, Exclusions.Count, Keywords.FirstOrDefault());
}
