namespace PaperMailer.Rank.Feedback;

/// <summary>A subscriber's rating of one paper: "more like this" or "less like this".</summary>
public enum Vote
{
    Less = -1,
    More = 1,
}

public static class Votes
{
    /// <summary>The word a link and the store use: "more" or "less".</summary>
    public static string Name(this Vote vote) => vote == Vote.More ? "more" : "less";

    public static Vote? Parse(string? text) => text switch
    {
        "more" => Vote.More,
        "less" => Vote.Less,
        _ => null,
    };
}
