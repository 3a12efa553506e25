namespace PaperMailer.Tests.Support;

/// <summary>Settings that keep the network sources off, for tests of the service that must never reach the internet.</summary>
public static class OfflineSources
{
    public static readonly IReadOnlyDictionary<string, string?> Settings = new Dictionary<string, string?>
    {
        ["Sources:HuggingFace:Enabled"] = "false",
        ["Sources:Arxiv:Enabled"] = "false",
        ["Sources:ArxivFeed:Enabled"] = "false",
    };
}
