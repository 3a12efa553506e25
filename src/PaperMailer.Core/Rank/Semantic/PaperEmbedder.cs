using PaperMailer.Domain;

namespace PaperMailer.Rank.Semantic;

/// <summary>
/// A paper's vector: its title and the start of its abstract, cut at <see cref="MaxTokens"/> model tokens (measured on
/// a held-out judged set: ~128 tokens ranked better than longer cuts, and costs less).
/// </summary>
public sealed class PaperEmbedder(ISentenceEmbedder embedder)
{
    public const int MaxTokens = 128;

    // Padding makes a batch cost as much as its longest text; papers are cut to the same length, so batches of this
    // size waste little and keep the model's working memory small.
    private const int BatchSize = 16;

    public int Dimensions => embedder.Dimensions;

    /// <summary>What made a paper's vector, as stored with it: the model and the cut ("all-MiniLM-L6-v2/128").</summary>
    public string Model => $"{embedder.Model}/{MaxTokens}";

    /// <summary>What is embedded for a paper: "Title. Abstract".</summary>
    public static string TextOf(Paper paper)
    {
        var title = paper.Title.Trim();
        var separator = title.Length == 0 || char.IsPunctuation(title[^1]) ? " " : ". ";
        return (title + separator + paper.Abstract).Trim();
    }

    /// <summary>The vectors of an index's papers, ready for ranking.</summary>
    public PaperVectors Embed(PaperIndex index, CancellationToken cancellationToken = default) =>
        new(Embed(index.Papers.Select(p => p.Paper).ToList(), cancellationToken), Dimensions);

    /// <summary>One vector per paper, in order.</summary>
    public float[][] Embed(IReadOnlyList<Paper> papers, CancellationToken cancellationToken = default)
    {
        var vectors = new float[papers.Count][];
        for (var start = 0; start < papers.Count; start += BatchSize)
        {
            var batch = papers.Skip(start).Take(BatchSize).Select(TextOf).ToList();
            embedder.Embed(batch, MaxTokens, cancellationToken).CopyTo(vectors, start);
        }
        return vectors;
    }
}
