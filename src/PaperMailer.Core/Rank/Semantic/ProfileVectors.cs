namespace PaperMailer.Rank.Semantic;

/// <summary>
/// A profile's keywords in embedding space: one unit vector per keyword, in the profile's keyword order, and their
/// mean. A paper's similarity to the profile is the mean of its similarities to the keywords, which is its dot
/// product with <see cref="Mean"/> (measured on a held-out judged set: better than embedding the keywords joined).
/// </summary>
public sealed record ProfileVectors(IReadOnlyList<string> Keywords, IReadOnlyList<float[]> KeywordVectors, float[] Mean);
