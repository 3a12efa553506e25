namespace PaperMailer.Rank.Semantic;

/// <summary>
/// A profile's keywords in embedding space: one unit vector per keyword, in the profile's keyword order, and their
/// mean. A paper's similarity to the profile is the mean of its similarities to the keywords, which is its dot
/// product with <see cref="Mean"/> (measured on a held-out judged set: better than embedding the keywords joined).
/// </summary>
public sealed record ProfileVectors(IReadOnlyList<string> Keywords, IReadOnlyList<float[]> KeywordVectors, int Dimensions)
{
    private float[]? _mean;

    /// <summary>
    /// The keywords' mean vector, made when first asked for: ranking sums the keywords' similarities to the papers,
    /// which it keeps per keyword, and never needs it.
    /// </summary>
    public float[] Mean => _mean ??= VectorMath.Mean(KeywordVectors, Dimensions);

    /// <summary>
    /// Per keyword (in <see cref="Keywords"/>' order), whether it came from a preset topic: such a keyword orders
    /// papers like any other but admits none on meaning; its topic's description does (<see cref="TopicVectors"/>).
    /// Empty when no keyword did.
    /// </summary>
    public IReadOnlyList<bool> FromTopics { get; init; } = [];

    /// <summary>The profile's preset topics as a paper admitted on meaning names them ("Robotics (topic)").</summary>
    public IReadOnlyList<string> Topics { get; init; } = [];

    /// <summary>One vector per topic of <see cref="Topics"/>: its name and description.</summary>
    public IReadOnlyList<float[]> TopicVectors { get; init; } = [];
}
