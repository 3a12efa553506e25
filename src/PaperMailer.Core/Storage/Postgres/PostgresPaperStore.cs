using Npgsql;
using NpgsqlTypes;
using PaperMailer.Domain;
using static PaperMailer.Storage.Postgres.PostgresValues;

namespace PaperMailer.Storage.Postgres;

public sealed class PostgresPaperStore(PostgresDatabase database) : IPaperStore
{
    private const string Columns = "id, title, abstract, authors, categories, published_at, source, upvotes, comments, ai_summary, ai_keywords, github_repo, project_page, first_seen_at, primary_category, version, revised_at, submitted_on_daily_at, github_stars, abstract_link, pdf_link";

    private const string InsertSql =
        $"INSERT INTO papers ({Columns}, updated_at) VALUES (@id, @title, @abstract, @authors, @categories, @published, @source, @upvotes, @comments, @aiSummary, @aiKeywords, @github, @project, @firstSeen, @primary, @version, @revised, @daily, @stars, @absLink, @pdfLink, @at)";

    private const string UpdateSql =
        "UPDATE papers SET title = @title, abstract = @abstract, authors = @authors, categories = @categories, published_at = @published, upvotes = @upvotes, comments = @comments, ai_summary = @aiSummary, ai_keywords = @aiKeywords, github_repo = @github, project_page = @project, primary_category = @primary, version = @version, revised_at = @revised, submitted_on_daily_at = @daily, github_stars = @stars, abstract_link = @absLink, pdf_link = @pdfLink, updated_at = @at WHERE id = @id";

    public async Task<PaperUpsertSummary> UpsertAsync(IReadOnlyList<Paper> papers, DateTimeOffset seenAt, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        // The cut-off row held (FOR SHARE) until commit: a run taking its cut-off waits for these papers, and papers stored
        // after a cut-off are stamped at or after it, so none falls between two digests' windows.
        DateTimeOffset firstSeen;
        await using (var cutoff = Command(connection, "SELECT cutoff_at FROM paper_cutoff WHERE id = 1 FOR SHARE", transaction))
        {
            var taken = ScalarTime(await cutoff.ExecuteScalarAsync(cancellationToken));
            firstSeen = taken > seenAt ? taken : seenAt;
        }
        // Every stored version of the incoming papers in one query, then merged here as on SQLite.
        var existing = new Dictionary<string, Paper>(StringComparer.Ordinal);
        await using (var find = Command(connection, $"SELECT {Columns} FROM papers WHERE id = ANY(@ids) FOR UPDATE", transaction))
        {
            List(find, "ids", papers.Select(p => p.Id).Distinct());
            foreach (var paper in await ReadAllAsync(find, cancellationToken)) existing[paper.Id] = paper;
        }
        int added = 0, updated = 0, unchanged = 0;
        await using var insert = Command(connection, InsertSql, transaction);
        var insertParameters = Parameters(insert);
        await using var update = Command(connection, UpdateSql, transaction);
        var updateParameters = Parameters(update);
        // A vector made from the old title and abstract no longer says what the paper is about: it is made again.
        await using var forgetVector = Command(connection, "DELETE FROM paper_vectors WHERE paper_id = @id", transaction);
        var forgetVectorId = Text(forgetVector, "id", null);
        foreach (var incoming in papers)
        {
            if (!existing.TryGetValue(incoming.Id, out var stored))
            {
                var paper = incoming with { FirstSeenAt = firstSeen };
                Bind(insertParameters, paper, seenAt);
                await insert.ExecuteNonQueryAsync(cancellationToken);
                existing[paper.Id] = paper;
                added++;
                continue;
            }
            var merged = PaperMerge.Merge(stored, incoming);
            if (PaperMerge.SameContent(stored, merged))
            {
                unchanged++;
                continue;
            }
            Bind(updateParameters, merged, seenAt);
            await update.ExecuteNonQueryAsync(cancellationToken);
            if (!PaperMerge.SameText(stored, merged))
            {
                forgetVectorId.Value = merged.Id;
                await forgetVector.ExecuteNonQueryAsync(cancellationToken);
            }
            existing[merged.Id] = merged;
            updated++;
        }
        await transaction.CommitAsync(cancellationToken);
        return new PaperUpsertSummary(added, updated, unchanged);
    }

    public async Task<IReadOnlyList<Paper>> GetFirstSeenBetweenAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = Command(connection, $"SELECT {Columns} FROM papers WHERE first_seen_at >= @from AND first_seen_at < @to ORDER BY first_seen_at, id COLLATE \"C\"");
        Time(command, "from", from);
        Time(command, "to", to);
        return await ReadAllAsync(command, cancellationToken);
    }

    public async Task<IReadOnlyList<Paper>> GetByIdsAsync(IReadOnlyCollection<string> ids, CancellationToken cancellationToken = default)
    {
        if (ids.Count == 0) return [];
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = Command(connection, $"SELECT {Columns} FROM papers WHERE id = ANY(@ids)");
        List(command, "ids", ids);
        return await ReadAllAsync(command, cancellationToken);
    }

    public async Task<IReadOnlyList<Paper>> ListAsync(int? limit = null, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = Command(connection, $"SELECT {Columns} FROM papers ORDER BY first_seen_at DESC, id COLLATE \"C\" LIMIT @limit");
        Integer(command, "limit", limit);
        return await ReadAllAsync(command, cancellationToken);
    }

    private static NpgsqlParameter[] Parameters(NpgsqlCommand c) =>
    [
        Text(c, "id", null), Text(c, "title", null), Text(c, "abstract", null), List(c, "authors", null), List(c, "categories", null),
        Time(c, "published", null), Text(c, "source", null), Integer(c, "upvotes", null), Integer(c, "comments", null), Text(c, "aiSummary", null),
        List(c, "aiKeywords", null), Text(c, "github", null), Text(c, "project", null), Time(c, "firstSeen", null), Text(c, "primary", null),
        Integer(c, "version", null), Time(c, "revised", null), Time(c, "daily", null), Integer(c, "stars", null), Text(c, "absLink", null),
        Text(c, "pdfLink", null), Time(c, "at", null),
    ];

    private static void Bind(NpgsqlParameter[] p, Paper paper, DateTimeOffset at)
    {
        object?[] values =
        [
            paper.Id, paper.Title, paper.Abstract, paper.Authors.ToArray(), paper.Categories.ToArray(), paper.PublishedAt?.ToUniversalTime(),
            paper.Source, paper.Upvotes, paper.Comments, paper.AiSummary, paper.AiKeywords.ToArray(), paper.GithubRepo, paper.ProjectPage,
            paper.FirstSeenAt.ToUniversalTime(), paper.PrimaryCategory, paper.Version, paper.RevisedAt?.ToUniversalTime(),
            paper.SubmittedOnDailyAt?.ToUniversalTime(), paper.GithubStars, paper.AbstractLink, paper.PdfLink, at.ToUniversalTime(),
        ];
        for (var i = 0; i < p.Length; i++) p[i].Value = values[i] ?? DBNull.Value;
    }

    private static async Task<IReadOnlyList<Paper>> ReadAllAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        var papers = new List<Paper>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken)) papers.Add(Read(reader));
        return papers;
    }

    private static Paper Read(NpgsqlDataReader reader) => new()
    {
        Id = reader.GetString(0),
        Title = reader.GetString(1),
        Abstract = reader.GetString(2),
        Authors = ReadList(reader, 3),
        Categories = ReadList(reader, 4),
        PublishedAt = ReadTimeOrNull(reader, 5),
        Source = reader.GetString(6),
        Upvotes = ReadIntOrNull(reader, 7),
        Comments = ReadIntOrNull(reader, 8),
        AiSummary = ReadTextOrNull(reader, 9),
        AiKeywords = ReadList(reader, 10),
        GithubRepo = ReadTextOrNull(reader, 11),
        ProjectPage = ReadTextOrNull(reader, 12),
        FirstSeenAt = ReadTime(reader, 13),
        PrimaryCategory = ReadTextOrNull(reader, 14),
        Version = ReadIntOrNull(reader, 15),
        RevisedAt = ReadTimeOrNull(reader, 16),
        SubmittedOnDailyAt = ReadTimeOrNull(reader, 17),
        GithubStars = ReadIntOrNull(reader, 18),
        AbstractLink = ReadTextOrNull(reader, 19),
        PdfLink = ReadTextOrNull(reader, 20),
    };
}
