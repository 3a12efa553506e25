namespace PaperMailer.Rank.Feedback;

/// <summary>A word the ratings taught: as it stands in the rated papers ("diffusion"), and its weight (+ raises, − lowers).</summary>
public sealed record LearnedTerm(string Word, double Weight);
