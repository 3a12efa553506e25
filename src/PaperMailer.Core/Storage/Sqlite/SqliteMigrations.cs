using Microsoft.Data.Sqlite;

namespace PaperMailer.Storage.Sqlite;

/// <summary>
/// Versioned schema changes, applied in order inside one write transaction each. Append new versions; never edit
/// an applied one, since databases in the field already have it.
/// </summary>
internal static class SqliteMigrations
{
    internal static readonly (int Version, string Sql)[] Steps =
    [
        (1, """
            CREATE TABLE papers (
                id              TEXT PRIMARY KEY,
                title           TEXT NOT NULL,
                abstract        TEXT NOT NULL,
                authors         TEXT NOT NULL,            -- JSON array of names
                categories      TEXT NOT NULL,            -- JSON array of arXiv categories
                published_at    TEXT,
                source          TEXT NOT NULL,
                upvotes         INTEGER,
                comments        INTEGER,
                ai_summary      TEXT,
                ai_keywords     TEXT NOT NULL,            -- JSON array
                github_repo     TEXT,
                project_page    TEXT,
                first_seen_at   TEXT NOT NULL,
                updated_at      TEXT NOT NULL
            );
            CREATE INDEX papers_first_seen ON papers (first_seen_at);

            CREATE TABLE topics (
                id          TEXT PRIMARY KEY,
                name        TEXT NOT NULL,
                description TEXT NOT NULL,
                keywords    TEXT NOT NULL,
                exclude     TEXT NOT NULL
            );

            CREATE TABLE subscribers (
                id                INTEGER PRIMARY KEY AUTOINCREMENT,
                email             TEXT NOT NULL,
                email_normalized  TEXT NOT NULL UNIQUE,
                name              TEXT,
                status            TEXT NOT NULL,
                time_zone         TEXT NOT NULL,
                delivery_hour     INTEGER NOT NULL CHECK (delivery_hour BETWEEN 0 AND 23),
                frequency         TEXT NOT NULL,
                topics            TEXT NOT NULL,
                keywords          TEXT NOT NULL,
                excluded_terms    TEXT NOT NULL,
                max_papers        INTEGER NOT NULL,
                created_at        TEXT NOT NULL,
                status_changed_at TEXT
            );

            CREATE TABLE deliveries (
                id               INTEGER PRIMARY KEY AUTOINCREMENT,
                subscriber_id    INTEGER NOT NULL REFERENCES subscribers (id),
                email            TEXT NOT NULL,
                digest_date      TEXT NOT NULL,
                message_id       TEXT NOT NULL UNIQUE,
                paper_ids        TEXT NOT NULL,           -- JSON array, in digest order
                status           TEXT NOT NULL,
                attempts         INTEGER NOT NULL DEFAULT 0,
                last_reply       TEXT,
                created_at       TEXT NOT NULL,
                updated_at       TEXT NOT NULL,
                next_attempt_at  TEXT,
                sent_at          TEXT,
                UNIQUE (subscriber_id, digest_date)
            );
            CREATE INDEX deliveries_status ON deliveries (status, next_attempt_at);

            -- One row per paper a subscriber was given; the primary key is what makes "never twice" hold.
            CREATE TABLE sent_papers (
                subscriber_id INTEGER NOT NULL REFERENCES subscribers (id),
                paper_id      TEXT NOT NULL,
                delivery_id   INTEGER NOT NULL REFERENCES deliveries (id),
                PRIMARY KEY (subscriber_id, paper_id)
            ) WITHOUT ROWID;
            """),
        (2, """
            -- Evidence of consent: who asked for what, when, from which address.
            CREATE TABLE consents (
                id            INTEGER PRIMARY KEY AUTOINCREMENT,
                subscriber_id INTEGER NOT NULL REFERENCES subscribers (id),
                kind          TEXT NOT NULL,
                at            TEXT NOT NULL,
                ip            TEXT,
                user_agent    TEXT,
                details       TEXT NOT NULL
            );
            CREATE INDEX consents_subscriber ON consents (subscriber_id, kind, at);
            """),
        // Network sources: arXiv versions, categories and links, Hugging Face listing details, and how far each
        // source got (its watermark), so a run after downtime catches up instead of starting over.
        (3, """
            ALTER TABLE papers ADD COLUMN primary_category TEXT;
            ALTER TABLE papers ADD COLUMN version INTEGER;
            ALTER TABLE papers ADD COLUMN revised_at TEXT;
            ALTER TABLE papers ADD COLUMN submitted_on_daily_at TEXT;
            ALTER TABLE papers ADD COLUMN github_stars INTEGER;
            ALTER TABLE papers ADD COLUMN abstract_link TEXT;
            ALTER TABLE papers ADD COLUMN pdf_link TEXT;

            CREATE TABLE source_watermarks (
                source      TEXT PRIMARY KEY,
                position    TEXT NOT NULL,               -- source-specific: a date, or a time
                updated_at  TEXT NOT NULL
            );
            """),
        // The SMTP reply code and enhanced status code of a digest's last attempt, beside the reply's text, so the
        // ledger can be queried by them (e.g. every 5.1.1) without parsing text.
        (4, """
            ALTER TABLE deliveries ADD COLUMN last_status_code INTEGER;
            ALTER TABLE deliveries ADD COLUMN last_enhanced_status_code TEXT;
            """),
        // Claims with leases (only the claimant sends), each digest's window of candidate papers, and which failures
        // were the address's own. A digest from before windows covered the day before it was decided, so its cut-off
        // is when it was decided; failed and cancelled digests give their papers back.
        (5, """
            ALTER TABLE deliveries ADD COLUMN claimed_by TEXT;
            ALTER TABLE deliveries ADD COLUMN lease_until TEXT;
            ALTER TABLE deliveries ADD COLUMN window_from TEXT;
            ALTER TABLE deliveries ADD COLUMN cutoff_at TEXT;
            ALTER TABLE deliveries ADD COLUMN recipient_failure INTEGER NOT NULL DEFAULT 0;
            UPDATE deliveries SET cutoff_at = created_at;
            UPDATE deliveries SET recipient_failure = 1 WHERE status = 'Failed' AND last_status_code BETWEEN 500 AND 599;
            DELETE FROM sent_papers WHERE delivery_id IN (SELECT id FROM deliveries WHERE status IN ('Failed', 'Cancelled'));
            -- A subscriber's rows in the order they were decided (the rowid), for "their latest digest".
            CREATE INDEX deliveries_by_subscriber ON deliveries (subscriber_id);
            -- The latest cut-off any digest run has taken: papers stored later are stamped at or after it.
            CREATE TABLE paper_cutoff (
                id         INTEGER PRIMARY KEY CHECK (id = 1),
                cutoff_at  TEXT NOT NULL
            );
            """),
        // What the operator status and /healthz read: each source's last success and last error (the watermark says
        // only how far it got), and one summary row per digest run that decided or attempted anything.
        (6, """
            CREATE TABLE source_status (
                source                TEXT PRIMARY KEY,
                first_attempt_at      TEXT NOT NULL,
                last_attempt_at       TEXT NOT NULL,
                last_success_at       TEXT,
                last_error_at         TEXT,
                last_error            TEXT,
                consecutive_failures  INTEGER NOT NULL DEFAULT 0,
                last_new              INTEGER NOT NULL DEFAULT 0,
                last_updated          INTEGER NOT NULL DEFAULT 0
            );

            CREATE TABLE digest_runs (
                id              INTEGER PRIMARY KEY AUTOINCREMENT,
                claimant        TEXT NOT NULL,
                started_at      TEXT NOT NULL,
                finished_at     TEXT NOT NULL,
                sent            INTEGER NOT NULL,
                deferred        INTEGER NOT NULL,
                failed          INTEGER NOT NULL,
                nothing_to_send INTEGER NOT NULL,
                cancelled       INTEGER NOT NULL,
                left_to_others  INTEGER NOT NULL,
                released        INTEGER NOT NULL,
                stopped         INTEGER NOT NULL
            );
            """),
        // "Trending today": a subscriber may ask for the day's most upvoted Hugging Face papers, alone or beside their
        // profile, and a digest records how many of its papers (the last ones of paper_ids) form that section, so a
        // retry or a web copy shows the same two sections. Weekly subscribers may choose their day (0 = Sunday).
        (7, """
            ALTER TABLE subscribers ADD COLUMN trending INTEGER NOT NULL DEFAULT 0;
            ALTER TABLE subscribers ADD COLUMN weekday INTEGER CHECK (weekday BETWEEN 0 AND 6);
            ALTER TABLE deliveries ADD COLUMN trending_papers INTEGER NOT NULL DEFAULT 0;
            """),
        // Bounce and complaint reports read from the bounce mailbox, one row each (keyed by the report's Message-ID), so
        // a report read twice acts once; soft bounces are counted from here.
        (8, """
            CREATE TABLE bounce_reports (
                id            INTEGER PRIMARY KEY AUTOINCREMENT,
                report_key    TEXT NOT NULL UNIQUE,
                kind          TEXT NOT NULL,              -- hard, soft, delivered, complaint, feedback, unmatched
                delivery_id   INTEGER,
                subscriber_id INTEGER,
                recipient     TEXT,
                status        TEXT,
                detail        TEXT,
                at            TEXT NOT NULL
            );
            CREATE INDEX bounce_reports_subscriber ON bounce_reports (subscriber_id, kind);
            CREATE INDEX bounce_reports_at ON bounce_reports (at);
            """),
        // Why each paper of a digest was chosen (the profile terms it matched, a JSON array per paper in paper_ids'
        // order), so its web copy and the subscriber's feed say what the digest said, whatever the profile is now.
        (9, """
            ALTER TABLE deliveries ADD COLUMN paper_matches TEXT;
            """),
        (10, """
            -- Nothing: cluster_nodes serves a cluster, and a cluster runs on PostgreSQL.
            """),
        // One vector per paper: 384 little-endian float32 numbers. The model column names the model and the text cut
        // that made it; a vector of another model counts as missing, so changing either re-embeds the papers.
        (11, """
            CREATE TABLE paper_vectors (
                paper_id    TEXT PRIMARY KEY REFERENCES papers (id),
                model       TEXT NOT NULL,
                vector      BLOB NOT NULL,
                embedded_at TEXT NOT NULL
            );
            """),
        // A subscriber's votes from the "more like this" / "less like this" links: one per subscriber and paper (a new
        // vote replaces the old), read a page of due subscribers at a time by the planner.
        (12, """
            CREATE TABLE ratings (
                subscriber_id INTEGER NOT NULL REFERENCES subscribers (id),
                paper_id      TEXT NOT NULL REFERENCES papers (id),
                vote          INTEGER NOT NULL CHECK (vote IN (-1, 1)),   -- 1 more like this, -1 less like this
                rated_at      TEXT NOT NULL,
                PRIMARY KEY (subscriber_id, paper_id)
            );
            """),        // Vectors of profile keywords and topic texts, by the model and cut that made them and the text exactly as
        // embedded, so that each is embedded once per database rather than at every process start.
        (13, """
            CREATE TABLE text_vectors (
                model       TEXT NOT NULL,
                text        TEXT NOT NULL,
                vector      BLOB NOT NULL,
                embedded_at TEXT NOT NULL,
                PRIMARY KEY (model, text)
            ) WITHOUT ROWID;
            """),
    ];

    public static async Task ApplyAsync(SqliteConnection connection, CancellationToken cancellationToken)
    {
        await using (var create = connection.CreateCommand())
        {
            create.CommandText = "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)";
            await create.ExecuteNonQueryAsync(cancellationToken);
        }

        foreach (var (version, sql) in Steps)
        {
            // BEGIN IMMEDIATE takes the write lock first, so two processes starting together apply each step once.
            await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(System.Data.IsolationLevel.Serializable, cancellationToken);
            await using var check = connection.CreateCommand();
            check.Transaction = transaction;
            check.CommandText = "SELECT COUNT(*) FROM schema_migrations WHERE version = $v";
            check.Parameters.AddWithValue("$v", version);
            if (Convert.ToInt64(await check.ExecuteScalarAsync(cancellationToken)) > 0)
            {
                continue;
            }
            await using var apply = connection.CreateCommand();
            apply.Transaction = transaction;
            apply.CommandText = sql + "\nINSERT INTO schema_migrations (version, applied_at) VALUES ($v, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'));";
            apply.Parameters.AddWithValue("$v", version);
            await apply.ExecuteNonQueryAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
    }
}
