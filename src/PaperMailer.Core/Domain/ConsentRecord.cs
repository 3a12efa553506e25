namespace PaperMailer.Domain;

/// <summary>What a subscriber asked for or agreed to, when and from where: the evidence behind every subscription.</summary>
public sealed record ConsentRecord
{
    public long Id { get; init; }
    public long SubscriberId { get; init; }
    /// <summary>See <see cref="ConsentKinds"/>.</summary>
    public required string Kind { get; init; }
    public DateTimeOffset At { get; init; }
    /// <summary>The client's address for web requests; "cli" for an operator's command.</summary>
    public string? Ip { get; init; }
    public string? UserAgent { get; init; }
    /// <summary>What was agreed to, in words, and the profile at that moment.</summary>
    public required string Details { get; init; }
}

public static class ConsentKinds
{
    public const string Requested = "requested";
    public const string Confirmed = "confirmed";
    public const string PreferencesChanged = "preferences";
    public const string Unsubscribed = "unsubscribed";
    /// <summary>Took back an unsubscribe with the undo link its page showed: subscribed again with the same profile.</summary>
    public const string Resubscribed = "resubscribed";
    public const string AddedByOperator = "operator";
}
