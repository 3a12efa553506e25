namespace PaperMailer.Rank.Semantic;

/// <summary>
/// Every paper's similarity to a profile: to each keyword, their mean (the profile similarity that orders papers),
/// and the most similar keyword (which may admit and explain a paper without a lexical match).
/// </summary>
public sealed class SimilarityToProfile
{
    public SimilarityToProfile(ProfileVectors profile, PaperVectors papers)
    {
        var n = papers.Count;
        Mean = new float[n];
        Best = new float[n];
        BestKeyword = new int[n];
        Best.AsSpan().Fill(float.NegativeInfinity);
        for (var k = 0; k < profile.KeywordVectors.Count; k++)
        {
            var toKeyword = papers.SimilaritiesTo(profile.KeywordVectors[k]);
            for (var p = 0; p < n; p++)
            {
                Mean[p] += toKeyword[p];
                if (toKeyword[p] > Best[p]) (Best[p], BestKeyword[p]) = (toKeyword[p], k);
            }
        }
        var keywords = Math.Max(1, profile.KeywordVectors.Count);
        for (var p = 0; p < n; p++) Mean[p] /= keywords;
    }

    public float[] Mean { get; }

    public float[] Best { get; }

    public int[] BestKeyword { get; }
}
