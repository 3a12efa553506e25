namespace PaperMailer.Rank.Semantic;

/// <summary>
/// Every paper's similarity to a profile: to each keyword, their mean (the profile similarity that orders papers),
/// the most similar keyword that may admit a paper on meaning (a subscriber's own, not a preset topic's), and the
/// most similar of the profile's topics (by name and description), either of which may admit and explain a paper
/// without a lexical match.
/// </summary>
public sealed class SimilarityToProfile
{
    public SimilarityToProfile(ProfileVectors profile, PaperVectors papers)
    {
        var n = papers.Count;
        Mean = new float[n];
        Best = new float[n];
        BestKeyword = new int[n];
        BestTopicSimilarity = new float[n];
        BestTopic = new int[n];
        Best.AsSpan().Fill(float.NegativeInfinity);
        BestTopicSimilarity.AsSpan().Fill(float.NegativeInfinity);
        for (var k = 0; k < profile.KeywordVectors.Count; k++)
        {
            var toKeyword = papers.SimilaritiesTo(profile.KeywordVectors[k]);
            var admits = k >= profile.FromTopics.Count || !profile.FromTopics[k];
            for (var p = 0; p < n; p++)
            {
                Mean[p] += toKeyword[p];
                if (admits && toKeyword[p] > Best[p]) (Best[p], BestKeyword[p]) = (toKeyword[p], k);
            }
        }
        var keywords = Math.Max(1, profile.KeywordVectors.Count);
        for (var p = 0; p < n; p++) Mean[p] /= keywords;
        for (var t = 0; t < profile.TopicVectors.Count; t++)
        {
            var toTopic = papers.SimilaritiesTo(profile.TopicVectors[t]);
            for (var p = 0; p < n; p++)
            {
                if (toTopic[p] > BestTopicSimilarity[p]) (BestTopicSimilarity[p], BestTopic[p]) = (toTopic[p], t);
            }
        }
    }

    public float[] Mean { get; }

    /// <summary>The highest similarity to a keyword that may admit on meaning (minus infinity when none may).</summary>
    public float[] Best { get; }

    public int[] BestKeyword { get; }

    /// <summary>The highest similarity to one of the profile's topics (minus infinity when it has none).</summary>
    public float[] BestTopicSimilarity { get; }

    public int[] BestTopic { get; }
}
