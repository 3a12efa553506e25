using Microsoft.Data.Sqlite;
using PaperMailer.Domain;
using static PaperMailer.Storage.Sqlite.SqliteValues;

namespace PaperMailer.Storage.Sqlite;

public sealed class SqliteDeliveryLedger(SqliteDatabase database) : IDeliveryLedger
{
    // Served by the (subscriber_id, digest_date) unique index: only this subscriber's rows are visited, however
    // long the ledger grows.
    internal const string CountFailedSql =
        "SELECT COUNT(*) FROM deliveries WHERE subscriber_id = $s AND status = 'Failed' AND recipient_failure = 1 AND id <> $except";

    // The ids arrive as one JSON array; each is a seek into the primary key (subscriber_id, paper_id), each row
    // checked against the paper's first-seen time.
    internal const string SentPapersOfSql =
        "SELECT sp.subscriber_id, sp.paper_id FROM sent_papers sp JOIN papers p ON p.id = sp.paper_id " +
        "WHERE sp.subscriber_id IN (SELECT value FROM json_each($ids)) AND p.first_seen_at >= $since";

    internal const string Columns =
        "id, subscriber_id, email, digest_date, message_id, paper_ids, status, attempts, last_reply, created_at, updated_at, next_attempt_at, sent_at, " +
        "last_status_code, last_enhanced_status_code, claimed_by, lease_until, window_from, cutoff_at, recipient_failure, trending_papers, paper_matches";

    private const string Standing = "('Queued', 'Sending', 'Deferred', 'Sent', 'NothingToSend', 'FeedOnly')";

    /// <summary>Digests the subscriber was given: mailed, or recorded for their feed.</summary>
    internal const string Given = "('Sent', 'FeedOnly')";

    /// <summary>
    /// The claim: one conditional update in a write transaction. A row is taken only when nobody holds it under a live
    /// lease; whoever commits first wins and every other run's condition is then false for that row.
    /// </summary>
    internal const string ClaimSql =
        $"UPDATE deliveries SET status = 'Sending', claimed_by = $me, lease_until = $lease, attempts = attempts + 1, updated_at = $now " +
        "WHERE id IN (SELECT id FROM deliveries WHERE (" +
        "(status IN ('Queued', 'Deferred') AND (lease_until IS NULL OR lease_until <= $now) AND ($due IS NULL OR next_attempt_at IS NULL OR next_attempt_at <= $due)) " +
        "OR (status = 'Sending' AND (lease_until IS NULL OR lease_until <= $now))) AND updated_at < $since ORDER BY id LIMIT $max) " +
        $"RETURNING {Columns}";

    /// <summary>A new digest, recorded only when nothing the subscriber already has rules it out (see <see cref="IDeliveryLedger.CreateAsync"/>).</summary>
    private const string InsertSql =
        "INSERT INTO deliveries (subscriber_id, email, digest_date, message_id, paper_ids, status, attempts, created_at, updated_at, claimed_by, lease_until, window_from, cutoff_at, trending_papers, paper_matches) " +
        "SELECT $s, $email, $d, $mid, $papers, $status, $attempts, $at, $at, $claim, $lease, $from, $cutoff, $trending, $matches " +
        "WHERE NOT EXISTS (SELECT 1 FROM deliveries o WHERE o.subscriber_id = $s AND (o.digest_date = $d OR (o.status IN " + Standing + " AND " +
        "(o.status IN ('Queued', 'Sending', 'Deferred') OR o.created_at > $gap OR o.cutoff_at > $from)))) " +
        "ON CONFLICT (subscriber_id, digest_date) DO NOTHING RETURNING id";

    /// <summary>
    /// A digest's papers reserved for its subscriber, all in one statement (a statement each was most of what recording
    /// a digest cost): a paper the subscriber already holds is not inserted, so fewer rows than papers means one was
    /// already given.
    /// </summary>
    private const string ReservePapersSql =
        "INSERT INTO sent_papers (subscriber_id, paper_id, delivery_id) SELECT $s, value, $id FROM json_each($papers) WHERE true ON CONFLICT DO NOTHING";

    private const string HistorySql =
        "SELECT s.id, s.email, s.name, s.status, s.time_zone, s.delivery_hour, s.frequency, s.topics, s.keywords, s.excluded_terms, s.max_papers, s.created_at, s.status_changed_at, " +
        "l.status, l.digest_date, l.created_at, l.cutoff_at, l.id, a.digest_date, " +
        // Only for someone without a standing digest: where their earliest (failed or cancelled) digest's window began.
        "CASE WHEN l.id IS NULL AND a.id IS NOT NULL THEN (SELECT MIN(d.window_from) FROM deliveries d WHERE d.subscriber_id = s.id) END, " +
        // Whether they were ever given a digest; asked only when their latest standing one was empty (otherwise the answer is plain).
        "CASE WHEN l.status = 'NothingToSend' THEN EXISTS (SELECT 1 FROM deliveries d WHERE d.subscriber_id = s.id AND d.status IN " + Given + ") END, s.trending, s.weekday " +
        "FROM subscribers s " +
        "LEFT JOIN deliveries l ON l.id = (SELECT d.id FROM deliveries d WHERE d.subscriber_id = s.id AND d.status IN " + Standing + " ORDER BY d.id DESC LIMIT 1) " +
        "LEFT JOIN deliveries a ON a.id = (SELECT d.id FROM deliveries d WHERE d.subscriber_id = s.id ORDER BY d.id DESC LIMIT 1) " +
        "WHERE s.status = 'Active' AND s.id > $after ORDER BY s.id LIMIT $limit";

    public async Task<DigestDelivery?> GetAsync(long subscriberId, DateOnly digestDate, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = Command(connection, $"SELECT {Columns} FROM deliveries WHERE subscriber_id = $s AND digest_date = $d");
        command.Parameters.AddWithValue("$s", subscriberId);
        command.Parameters.AddWithValue("$d", Date(digestDate));
        return (await ReadAllAsync(command, cancellationToken)).FirstOrDefault();
    }

    public async Task<IReadOnlyList<DigestDelivery>> ListAsync(DateOnly? digestDate = null, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = Command(connection, $"SELECT {Columns} FROM deliveries WHERE $d IS NULL OR digest_date = $d ORDER BY id");
        command.Parameters.AddWithValue("$d", digestDate is { } d ? Date(d) : DBNull.Value);
        return await ReadAllAsync(command, cancellationToken);
    }

    public async Task<IReadOnlySet<string>> GetSentPaperIdsAsync(long subscriberId, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = Command(connection, "SELECT paper_id FROM sent_papers WHERE subscriber_id = $s");
        command.Parameters.AddWithValue("$s", subscriberId);
        var ids = new HashSet<string>(StringComparer.Ordinal);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken)) ids.Add(reader.GetString(0));
        return ids;
    }

    public async Task<IReadOnlyDictionary<long, IReadOnlySet<string>>> GetSentPaperIdsAsync(IReadOnlyList<long> subscriberIds,
        DateTimeOffset firstSeenSince, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = Command(connection, SentPapersOfSql);
        command.Parameters.AddWithValue("$ids", System.Text.Json.JsonSerializer.Serialize(subscriberIds));
        command.Parameters.AddWithValue("$since", Time(firstSeenSince));
        var sent = new Dictionary<long, IReadOnlySet<string>>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var subscriberId = reader.GetInt64(0);
            if (!sent.TryGetValue(subscriberId, out var ids)) sent[subscriberId] = ids = new HashSet<string>(StringComparer.Ordinal);
            ((HashSet<string>)ids).Add(reader.GetString(1));
        }
        return sent;
    }

    public Task<DateTimeOffset> TakeCutoffAsync(DateTimeOffset now, CancellationToken cancellationToken = default) =>
        PaperCutoff.TakeAsync(database, now, cancellationToken);

    public async Task<IReadOnlyList<SubscriberHistory>> ReadHistoryAsync(long afterSubscriberId, int limit, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = Command(connection, HistorySql);
        command.Parameters.AddWithValue("$after", afterSubscriberId);
        command.Parameters.AddWithValue("$limit", limit);
        var page = new List<SubscriberHistory>(limit);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var subscriber = SqliteSubscriberStore.Read(reader);
            DigestDelivery? latest = reader.IsDBNull(13) ? null : new DigestDelivery
            {
                Id = reader.GetInt64(17),
                SubscriberId = subscriber.Id,
                Email = subscriber.Email,
                MessageId = "",
                Status = Enum.Parse<DeliveryStatus>(reader.GetString(13)),
                DigestDate = ParseDate(reader.GetString(14)),
                CreatedAt = ParseTime(reader.GetString(15)),
                CutoffAt = reader.IsDBNull(16) ? null : ParseTime(reader.GetString(16)),
            };
            page.Add(new SubscriberHistory(subscriber, latest, reader.IsDBNull(18) ? null : ParseDate(reader.GetString(18)))
            {
                UnservedSince = reader.IsDBNull(19) ? null : ParseTime(reader.GetString(19)),
                EverGiven = latest is not null && (latest.Status != DeliveryStatus.NothingToSend || (!reader.IsDBNull(20) && reader.GetInt64(20) != 0)),
            });
        }
        return page;
    }

    public async Task<IReadOnlyList<CreateResult>> CreateAsync(IReadOnlyList<DigestDraft> drafts, DigestClaim claim, CancellationToken cancellationToken = default)
    {
        var results = new List<CreateResult>(drafts.Count);
        if (drafts.Count == 0) return results;
        await using var connection = await database.OpenForWritingAsync(cancellationToken);
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
        await using var active = Command(connection, "SELECT status = 'Active' FROM subscribers WHERE id = $s", transaction);
        var activeId = active.Parameters.Add("$s", SqliteType.Integer);
        await using var insert = Command(connection, InsertSql, transaction);
        var p = new[] { "$s", "$email", "$d", "$mid", "$papers", "$status", "$attempts", "$at", "$claim", "$lease", "$from", "$cutoff", "$gap", "$trending", "$matches" }
            .ToDictionary(n => n, n => Parameter(insert, n));
        await using var reserve = Command(connection, ReservePapersSql, transaction);
        var reserveSubscriber = reserve.Parameters.Add("$s", SqliteType.Integer);
        var reservePapers = reserve.Parameters.Add("$papers", SqliteType.Text);
        var reserveId = reserve.Parameters.Add("$id", SqliteType.Integer);
        await using var undo = Command(connection, "DELETE FROM sent_papers WHERE delivery_id = $id; DELETE FROM deliveries WHERE id = $id", transaction);
        var undoId = undo.Parameters.Add("$id", SqliteType.Integer);

        foreach (var draft in drafts)
        {
            var d = draft.Delivery;
            activeId.Value = d.SubscriberId;
            if (await active.ExecuteScalarAsync(cancellationToken) is not long isActive || isActive == 0)
            {
                results.Add(new CreateResult(CreateOutcome.NotActive, null));
                continue;
            }
            var claimed = d.Status == DeliveryStatus.Sending;
            p["$s"].Value = d.SubscriberId;
            p["$email"].Value = d.Email;
            p["$d"].Value = Date(d.DigestDate);
            p["$mid"].Value = d.MessageId;
            var paperIds = List(d.PaperIds);
            p["$papers"].Value = paperIds;
            p["$status"].Value = d.Status.ToString();
            p["$attempts"].Value = claimed ? 1 : 0;
            p["$at"].Value = Time(d.CreatedAt);
            p["$claim"].Value = claimed ? claim.ClaimantId : DBNull.Value;
            p["$lease"].Value = claimed ? Time(claim.LeaseUntil) : DBNull.Value;
            p["$from"].Value = TimeOrNull(d.WindowFrom);
            p["$cutoff"].Value = TimeOrNull(d.CutoffAt);
            p["$trending"].Value = d.TrendingCount;
            p["$gap"].Value = Time(draft.GapStart);
            p["$matches"].Value = d.PaperMatches is { } matches ? Matches(matches) : DBNull.Value;
            if (await insert.ExecuteScalarAsync(cancellationToken) is not long id)
            {
                results.Add(new CreateResult(CreateOutcome.AlreadyDecided, null));
                continue;
            }
            reserveSubscriber.Value = d.SubscriberId;
            reserveId.Value = id;
            reservePapers.Value = paperIds;
            if (d.PaperIds.Count > 0 && await reserve.ExecuteNonQueryAsync(cancellationToken) < d.PaperIds.Count)
            {
                // A paper the subscriber already holds: this digest is not recorded at all, never sent with it twice.
                undoId.Value = id;
                await undo.ExecuteNonQueryAsync(cancellationToken);
                results.Add(new CreateResult(CreateOutcome.PaperAlreadyGiven, null));
                continue;
            }
            results.Add(LedgerDecisions.Created(d, id, claim));
        }
        await transaction.CommitAsync(cancellationToken);
        return results;
    }

    public async Task<IReadOnlyList<DigestDelivery>> ClaimDueAsync(DigestClaim claim, DateTimeOffset? dueAt, DateTimeOffset untouchedSince, int max, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenForWritingAsync(cancellationToken);
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
        await using var command = Command(connection, ClaimSql, transaction);
        command.Parameters.AddWithValue("$me", claim.ClaimantId);
        command.Parameters.AddWithValue("$lease", Time(claim.LeaseUntil));
        command.Parameters.AddWithValue("$now", Time(claim.Now));
        command.Parameters.AddWithValue("$due", TimeOrNull(dueAt));
        command.Parameters.AddWithValue("$since", Time(untouchedSince));
        command.Parameters.AddWithValue("$max", max);
        var claimed = await ReadAllAsync(command, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return claimed.OrderBy(d => d.Id).ToList();
    }

    public async Task<bool> RenewAsync(long deliveryId, DigestClaim claim, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenForWritingAsync(cancellationToken);
        await using var command = Command(connection,
            "UPDATE deliveries SET lease_until = $lease WHERE id = $id AND claimed_by = $me AND status = 'Sending'");
        command.Parameters.AddWithValue("$id", deliveryId);
        command.Parameters.AddWithValue("$me", claim.ClaimantId);
        command.Parameters.AddWithValue("$lease", Time(claim.LeaseUntil));
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    public async Task<int> RecordOutcomesAsync(string claimantId, IReadOnlyList<AttemptOutcome> outcomes, CancellationToken cancellationToken = default)
    {
        if (outcomes.Count == 0) return 0;
        await using var connection = await database.OpenForWritingAsync(cancellationToken);
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
        await using var update = Command(connection,
            "UPDATE deliveries SET status = $status, last_reply = $reply, last_status_code = $code, last_enhanced_status_code = $enhanced, " +
            "updated_at = $at, next_attempt_at = $next, sent_at = CASE WHEN $status = 'Sent' THEN $at ELSE sent_at END, " +
            "recipient_failure = $rf, claimed_by = NULL, lease_until = NULL WHERE id = $id AND claimed_by = $me", transaction);
        var u = new[] { "$status", "$reply", "$code", "$enhanced", "$at", "$next", "$rf", "$id", "$me" }
            .ToDictionary(n => n, n => Parameter(update, n));
        u["$me"].Value = claimantId;
        await using var giveBack = Command(connection, "DELETE FROM sent_papers WHERE delivery_id = $id", transaction);
        var giveBackId = giveBack.Parameters.Add("$id", SqliteType.Integer);
        await using var suppress = Command(connection,
            "UPDATE subscribers SET status = 'Bounced', status_changed_at = $at WHERE id = $s AND status = 'Active'", transaction);
        var suppressId = suppress.Parameters.Add("$s", SqliteType.Integer);
        var suppressAt = Parameter(suppress, "$at");
        var recorded = 0;
        foreach (var o in outcomes)
        {
            u["$status"].Value = o.Status.ToString();
            u["$reply"].Value = TextOrNull(o.Reply);
            u["$code"].Value = IntOrNull(o.StatusCode);
            u["$enhanced"].Value = TextOrNull(o.EnhancedStatusCode);
            u["$at"].Value = Time(o.At);
            u["$next"].Value = TimeOrNull(o.NextAttemptAt);
            u["$rf"].Value = o.RecipientFailure ? 1 : 0;
            u["$id"].Value = o.DeliveryId;
            if (await update.ExecuteNonQueryAsync(cancellationToken) == 0) continue;
            recorded++;
            if (o.Status is DeliveryStatus.Failed or DeliveryStatus.Cancelled)
            {
                giveBackId.Value = o.DeliveryId;
                await giveBack.ExecuteNonQueryAsync(cancellationToken);
            }
            if (o.SuppressSubscriber)
            {
                suppressId.Value = o.SubscriberId;
                suppressAt.Value = Time(o.At);
                await suppress.ExecuteNonQueryAsync(cancellationToken);
            }
        }
        await transaction.CommitAsync(cancellationToken);
        return recorded;
    }

    public async Task ReleaseAsync(string claimantId, IReadOnlyList<long> deliveryIds, CancellationToken cancellationToken = default)
    {
        if (deliveryIds.Count == 0) return;
        await using var connection = await database.OpenForWritingAsync(cancellationToken);
        await using var command = Command(connection,
            "UPDATE deliveries SET status = CASE WHEN next_attempt_at IS NULL THEN 'Queued' ELSE 'Deferred' END, attempts = attempts - 1, " +
            "claimed_by = NULL, lease_until = NULL WHERE id IN (SELECT value FROM json_each($ids)) AND claimed_by = $me AND status = 'Sending'");
        command.Parameters.AddWithValue("$ids", "[" + string.Join(',', deliveryIds) + "]");
        command.Parameters.AddWithValue("$me", claimantId);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<LedgerBacklog> BacklogAsync(string claimantId, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = Command(connection,
            "SELECT COUNT(*) FILTER (WHERE status = 'Sending' AND lease_until > $now AND claimed_by <> $me), " +
            "COUNT(*) FILTER (WHERE status = 'Deferred' AND next_attempt_at > $now), " +
            "MIN(next_attempt_at) FILTER (WHERE status = 'Deferred' AND next_attempt_at > $now) " +
            "FROM deliveries WHERE status IN ('Sending', 'Deferred')");
        command.Parameters.AddWithValue("$now", Time(now));
        command.Parameters.AddWithValue("$me", claimantId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return new LedgerBacklog(reader.GetInt32(0), reader.GetInt32(1), reader.IsDBNull(2) ? null : ParseTime(reader.GetString(2)));
    }

    public async Task<int> CountRecipientFailuresAsync(long subscriberId, long exceptDeliveryId, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = Command(connection, CountFailedSql);
        command.Parameters.AddWithValue("$s", subscriberId);
        command.Parameters.AddWithValue("$except", exceptDeliveryId);
        return Convert.ToInt32(await command.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture);
    }

    public async Task<RetryFailedResult> RetryFailedAsync(DateOnly digestDate, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenForWritingAsync(cancellationToken);
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
        var failed = new List<(long Id, long SubscriberId, string Email, IReadOnlyList<string> PaperIds, string SubscriberStatus)>();
        await using (var select = Command(connection,
            "SELECT d.id, d.subscriber_id, d.email, d.paper_ids, s.status FROM deliveries d JOIN subscribers s ON s.id = d.subscriber_id " +
            "WHERE d.digest_date = $d AND d.status = 'Failed' ORDER BY d.id", transaction))
        {
            select.Parameters.AddWithValue("$d", Date(digestDate));
            await using var reader = await select.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
                failed.Add((reader.GetInt64(0), reader.GetInt64(1), reader.GetString(2), ParseList(reader.GetString(3)), reader.GetString(4)));
        }
        // A later standing digest of the subscriber (its window started where the failed one's did) or any pending one.
        await using var later = Command(connection,
            "SELECT 1 FROM deliveries o WHERE o.subscriber_id = $s AND o.id <> $id AND " +
            "(o.status IN ('Queued', 'Sending', 'Deferred') OR (o.id > $id AND o.status IN ('Sent', 'NothingToSend', 'FeedOnly'))) LIMIT 1", transaction);
        var laterSubscriber = later.Parameters.Add("$s", SqliteType.Integer);
        var laterId = later.Parameters.Add("$id", SqliteType.Integer);
        await using var reserve = Command(connection, ReservePapersSql, transaction);
        var reserveSubscriber = reserve.Parameters.Add("$s", SqliteType.Integer);
        var reservePapers = reserve.Parameters.Add("$papers", SqliteType.Text);
        var reserveId = reserve.Parameters.Add("$id", SqliteType.Integer);
        await using var undo = Command(connection, "DELETE FROM sent_papers WHERE delivery_id = $id", transaction);
        var undoId = undo.Parameters.Add("$id", SqliteType.Integer);
        await using var due = Command(connection,
            "UPDATE deliveries SET status = 'Deferred', next_attempt_at = $now, updated_at = $now, attempts = 0, recipient_failure = 0, " +
            "claimed_by = NULL, lease_until = NULL WHERE id = $id AND status = 'Failed'", transaction);
        due.Parameters.AddWithValue("$now", Time(now));
        var dueId = due.Parameters.Add("$id", SqliteType.Integer);

        var madeDue = 0;
        var skipped = new List<string>();
        foreach (var (id, subscriberId, email, paperIds, subscriberStatus) in failed)
        {
            if (subscriberStatus != nameof(SubscriberStatus.Active))
            {
                skipped.Add(LedgerDecisions.NotActive(email, subscriberStatus));
                continue;
            }
            laterSubscriber.Value = subscriberId;
            laterId.Value = id;
            if (await later.ExecuteScalarAsync(cancellationToken) is not null)
            {
                skipped.Add(LedgerDecisions.LaterDigestStands(email));
                continue;
            }
            reserveSubscriber.Value = subscriberId;
            reserveId.Value = id;
            reservePapers.Value = List(paperIds);
            if (paperIds.Count > 0 && await reserve.ExecuteNonQueryAsync(cancellationToken) < paperIds.Count)
            {
                undoId.Value = id;
                await undo.ExecuteNonQueryAsync(cancellationToken);
                skipped.Add(LedgerDecisions.PaperGivenSince(email));
                continue;
            }
            dueId.Value = id;
            madeDue += await due.ExecuteNonQueryAsync(cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
        return new RetryFailedResult(madeDue, skipped);
    }

    public async Task<IReadOnlyList<DomainFailures>> FailuresByDomainAsync(DateOnly since, int max, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = Command(connection,
            "SELECT lower(substr(email, instr(email, '@') + 1)) AS domain, COUNT(*) FILTER (WHERE status = 'Failed'), " +
            "COUNT(*) FILTER (WHERE status = 'Deferred'), COUNT(*) FILTER (WHERE status = 'Failed' AND recipient_failure = 1) " +
            "FROM deliveries WHERE status IN ('Failed', 'Deferred') AND digest_date >= $since " +
            "GROUP BY domain ORDER BY 2 DESC, 3 DESC, domain LIMIT $max");
        command.Parameters.AddWithValue("$since", Date(since));
        command.Parameters.AddWithValue("$max", max);
        var result = new List<DomainFailures>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
            result.Add(new DomainFailures(reader.GetString(0), reader.GetInt32(1), reader.GetInt32(2), reader.GetInt32(3)));
        return result;
    }

    internal static async Task<IReadOnlyList<DigestDelivery>> ReadAllAsync(SqliteCommand command, CancellationToken cancellationToken)
    {
        var result = new List<DigestDelivery>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            result.Add(new DigestDelivery
            {
                Id = reader.GetInt64(0),
                SubscriberId = reader.GetInt64(1),
                Email = reader.GetString(2),
                DigestDate = ReadDate(reader, "digest_date"),
                MessageId = reader.GetString(4),
                PaperIds = ReadList(reader, "paper_ids"),
                Status = Enum.Parse<DeliveryStatus>(reader.GetString(6)),
                Attempts = reader.GetInt32(7),
                LastReply = ReadTextOrNull(reader, "last_reply"),
                CreatedAt = ReadTime(reader, "created_at"),
                UpdatedAt = ReadTime(reader, "updated_at"),
                NextAttemptAt = ReadTimeOrNull(reader, "next_attempt_at"),
                SentAt = ReadTimeOrNull(reader, "sent_at"),
                LastStatusCode = ReadIntOrNull(reader, "last_status_code"),
                LastEnhancedStatusCode = ReadTextOrNull(reader, "last_enhanced_status_code"),
                ClaimedBy = ReadTextOrNull(reader, "claimed_by"),
                LeaseUntil = ReadTimeOrNull(reader, "lease_until"),
                WindowFrom = ReadTimeOrNull(reader, "window_from"),
                CutoffAt = ReadTimeOrNull(reader, "cutoff_at"),
                RecipientFailure = reader.GetInt32(19) != 0,
                PaperMatches = ReadTextOrNull(reader, "paper_matches") is { } matches ? ParseMatches(matches) : null,
                TrendingCount = reader.GetInt32(20),
            });
        }
        return result;
    }
}
