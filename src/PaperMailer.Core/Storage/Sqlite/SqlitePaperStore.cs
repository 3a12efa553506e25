using Microsoft.Data.Sqlite;
using PaperMailer.Domain;
using static PaperMailer.Storage.Sqlite.SqliteValues;

namespace PaperMailer.Storage.Sqlite;

public sealed class SqlitePaperStore(SqliteDatabase database) : IPaperStore
{
    private const string Columns = "id, title, abstract, authors, categories, published_at, source, upvotes, comments, ai_summary, ai_keywords, github_repo, project_page, first_seen_at, primary_category, version, revised_at, submitted_on_daily_at, github_stars, abstract_link, pdf_link";

    public async Task<PaperUpsertSummary> UpsertAsync(IReadOnlyList<Paper> papers, DateTimeOffset seenAt, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenForWritingAsync(cancellationToken);
        // An immediate transaction: the write lock is held from here, so the cut-off read below cannot move before commit.
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
        // A digest run that took its cut-off before this commit could not see these papers: stamping them at or after
        // that cut-off puts them in the subscribers' next window instead of between two windows.
        var firstSeen = await PaperCutoff.StampAsync(connection, transaction, seenAt, cancellationToken);
        int added = 0, updated = 0, unchanged = 0;
        await using var find = Command(connection, $"SELECT {Columns} FROM papers WHERE id = $id", transaction);
        var findId = find.Parameters.Add("$id", SqliteType.Text);
        foreach (var incoming in papers)
        {
            findId.Value = incoming.Id;
            Paper? existing = null;
            await using (var reader = await find.ExecuteReaderAsync(cancellationToken))
            {
                if (await reader.ReadAsync(cancellationToken)) existing = Read(reader);
            }
            if (existing is null)
            {
                await WriteAsync(connection, transaction, incoming with { FirstSeenAt = firstSeen }, insert: true, seenAt, cancellationToken);
                added++;
                continue;
            }
            var merged = PaperMerge.Merge(existing, incoming);
            if (PaperMerge.SameContent(existing, merged))
            {
                unchanged++;
                continue;
            }
            await WriteAsync(connection, transaction, merged, insert: false, seenAt, cancellationToken);
            if (!PaperMerge.SameText(existing, merged))
            {
                // A vector made from the old title and abstract no longer says what the paper is about: it is made again.
                await using var forget = Command(connection, "DELETE FROM paper_vectors WHERE paper_id = $id", transaction);
                forget.Parameters.AddWithValue("$id", merged.Id);
                await forget.ExecuteNonQueryAsync(cancellationToken);
            }
            updated++;
        }
        await transaction.CommitAsync(cancellationToken);
        return new PaperUpsertSummary(added, updated, unchanged);
    }

    public async Task<IReadOnlyList<Paper>> GetFirstSeenBetweenAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = Command(connection, $"SELECT {Columns} FROM papers WHERE first_seen_at >= $from AND first_seen_at < $to ORDER BY first_seen_at, id");
        command.Parameters.AddWithValue("$from", Time(from));
        command.Parameters.AddWithValue("$to", Time(to));
        return await ReadAllAsync(command, cancellationToken);
    }

    public async Task<IReadOnlyList<Paper>> GetByIdsAsync(IReadOnlyCollection<string> ids, CancellationToken cancellationToken = default)
    {
        if (ids.Count == 0) return [];
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = Command(connection, $"SELECT {Columns} FROM papers WHERE id IN (SELECT value FROM json_each($ids))");
        command.Parameters.AddWithValue("$ids", List(ids.ToList()));
        return await ReadAllAsync(command, cancellationToken);
    }

    public async Task<IReadOnlyList<Paper>> ListAsync(int? limit = null, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = Command(connection, $"SELECT {Columns} FROM papers ORDER BY first_seen_at DESC, id LIMIT $limit");
        command.Parameters.AddWithValue("$limit", limit ?? -1);
        return await ReadAllAsync(command, cancellationToken);
    }

    private static async Task WriteAsync(SqliteConnection connection, SqliteTransaction transaction, Paper paper, bool insert, DateTimeOffset at, CancellationToken cancellationToken)
    {
        var sql = insert
            ? $"INSERT INTO papers ({Columns}, updated_at) VALUES ($id, $title, $abstract, $authors, $categories, $published, $source, $upvotes, $comments, $aiSummary, $aiKeywords, $github, $project, $firstSeen, $primary, $version, $revised, $daily, $stars, $absLink, $pdfLink, $at)"
            : "UPDATE papers SET title = $title, abstract = $abstract, authors = $authors, categories = $categories, published_at = $published, upvotes = $upvotes, comments = $comments, ai_summary = $aiSummary, ai_keywords = $aiKeywords, github_repo = $github, project_page = $project, primary_category = $primary, version = $version, revised_at = $revised, submitted_on_daily_at = $daily, github_stars = $stars, abstract_link = $absLink, pdf_link = $pdfLink, updated_at = $at WHERE id = $id";
        await using var command = Command(connection, sql, transaction);
        var p = command.Parameters;
        p.AddWithValue("$id", paper.Id);
        p.AddWithValue("$title", paper.Title);
        p.AddWithValue("$abstract", paper.Abstract);
        p.AddWithValue("$authors", List(paper.Authors));
        p.AddWithValue("$categories", List(paper.Categories));
        p.AddWithValue("$published", TimeOrNull(paper.PublishedAt));
        p.AddWithValue("$source", paper.Source);
        p.AddWithValue("$upvotes", IntOrNull(paper.Upvotes));
        p.AddWithValue("$comments", IntOrNull(paper.Comments));
        p.AddWithValue("$aiSummary", TextOrNull(paper.AiSummary));
        p.AddWithValue("$aiKeywords", List(paper.AiKeywords));
        p.AddWithValue("$github", TextOrNull(paper.GithubRepo));
        p.AddWithValue("$project", TextOrNull(paper.ProjectPage));
        p.AddWithValue("$firstSeen", Time(paper.FirstSeenAt));
        p.AddWithValue("$primary", TextOrNull(paper.PrimaryCategory));
        p.AddWithValue("$version", IntOrNull(paper.Version));
        p.AddWithValue("$revised", TimeOrNull(paper.RevisedAt));
        p.AddWithValue("$daily", TimeOrNull(paper.SubmittedOnDailyAt));
        p.AddWithValue("$stars", IntOrNull(paper.GithubStars));
        p.AddWithValue("$absLink", TextOrNull(paper.AbstractLink));
        p.AddWithValue("$pdfLink", TextOrNull(paper.PdfLink));
        p.AddWithValue("$at", Time(at));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static async Task<IReadOnlyList<Paper>> ReadAllAsync(SqliteCommand command, CancellationToken cancellationToken)
    {
        var papers = new List<Paper>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken)) papers.Add(Read(reader));
        return papers;
    }

    private static Paper Read(SqliteDataReader reader) => new()
    {
        Id = reader.GetString(0),
        Title = reader.GetString(1),
        Abstract = reader.GetString(2),
        Authors = ReadList(reader, "authors"),
        Categories = ReadList(reader, "categories"),
        PublishedAt = ReadTimeOrNull(reader, "published_at"),
        Source = reader.GetString(6),
        Upvotes = ReadIntOrNull(reader, "upvotes"),
        Comments = ReadIntOrNull(reader, "comments"),
        AiSummary = ReadTextOrNull(reader, "ai_summary"),
        AiKeywords = ReadList(reader, "ai_keywords"),
        GithubRepo = ReadTextOrNull(reader, "github_repo"),
        ProjectPage = ReadTextOrNull(reader, "project_page"),
        FirstSeenAt = ReadTime(reader, "first_seen_at"),
        PrimaryCategory = ReadTextOrNull(reader, "primary_category"),
        Version = ReadIntOrNull(reader, "version"),
        RevisedAt = ReadTimeOrNull(reader, "revised_at"),
        SubmittedOnDailyAt = ReadTimeOrNull(reader, "submitted_on_daily_at"),
        GithubStars = ReadIntOrNull(reader, "github_stars"),
        AbstractLink = ReadTextOrNull(reader, "abstract_link"),
        PdfLink = ReadTextOrNull(reader, "pdf_link"),
    };
}
