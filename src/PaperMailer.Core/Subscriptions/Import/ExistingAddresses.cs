namespace PaperMailer.Subscriptions.Import;

/// <summary>What an import does with an address that is already a subscriber.</summary>
public enum ExistingAddresses
{
    /// <summary>Each one is a problem, and nothing is imported (the default: an import adds people).</summary>
    Refuse,
    /// <summary>The row's profile replaces theirs (<c>--update</c>); unsubscribed and bounced addresses stay as they are.</summary>
    Update,
    /// <summary>They are left as they are and counted (<c>--skip-existing</c>).</summary>
    Skip,
}
