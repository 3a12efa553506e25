namespace PaperMailer.Storage;

/// <summary>
/// The schema's versions, written once for both providers: what each step is for. Each provider keeps the SQL of every
/// step beside its own code (Sqlite/SqliteMigrations, Postgres/PostgresMigrations) under the same numbers, applied in
/// order and recorded in schema_migrations. Append new versions; never edit an applied one, since databases in the
/// field already have it.
/// </summary>
public static class StoreSchema
{
    public static readonly IReadOnlyList<(int Version, string Intent)> Steps =
    [
        (1, "Papers, topics, subscribers, the delivery ledger, and the papers each subscriber was given (never twice)."),
        (2, "Evidence of consent: who asked for what, when, from which address."),
        (3, "Network sources: arXiv versions, categories and links, Hugging Face listing details, and each source's watermark."),
        (4, "The SMTP reply code and enhanced status code of a digest's last attempt, queryable without parsing text."),
        (5, "Claims with leases, each digest's window of candidate papers, recipient failures, and the digest runs' cut-off."),
        (6, "Each source's last success and last error, and one summary row per digest run."),
        (7, "Trending today: the subscriber's choice, the weekly subscriber's weekday, and each digest's trending section."),
        (8, "Bounce and complaint reports read from the bounce mailbox, one row each."),
        (9, "Why each paper of a digest was chosen, so its web copy says what the digest said."),
        (10, "The live nodes of a cluster and the fingerprints of what each sends with (PostgreSQL only: a SQLite store serves one node)."),
        (11, "Each paper's embedding (its vector and the model that made it), so papers are embedded once, when collected."),
        (12, "Ratings: a subscriber's \"more like this\" or \"less like this\" on a paper, one vote per subscriber and paper, and when."),
        (13, "Vectors of profile keywords and topic texts, by model and text, so that a process ranking profiles embeds only texts never embedded before."),
    ];

    public static int LatestVersion => Steps[^1].Version;
}
