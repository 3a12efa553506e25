using Npgsql;
using NpgsqlTypes;
using PaperMailer.Domain;
using static PaperMailer.Storage.Postgres.PostgresValues;

namespace PaperMailer.Storage.Postgres;

/// <summary>
/// The ledger on PostgreSQL. SQLite serialises every writer; here the same promises come from row locks: a claim
/// takes rows with FOR UPDATE SKIP LOCKED and re-checks its condition on the locked row, so two claimants never take
/// one digest; recording new digests locks the subscriber's row, so two runs deciding for one subscriber take turns.
/// </summary>
public sealed class PostgresDeliveryLedger(PostgresDatabase database) : IDeliveryLedger
{
    internal const string Columns =
        "id, subscriber_id, email, digest_date, message_id, paper_ids, status, attempts, last_reply, created_at, updated_at, next_attempt_at, sent_at, " +
        "last_status_code, last_enhanced_status_code, claimed_by, lease_until, window_from, cutoff_at, recipient_failure, trending_papers, paper_matches::text";

    private const string Standing = "('Queued', 'Sending', 'Deferred', 'Sent', 'NothingToSend', 'FeedOnly')";

    /// <summary>Digests the subscriber was given: mailed, or recorded for their feed.</summary>
    internal const string Given = "('Sent', 'FeedOnly')";

    private const string Claimable =
        "((status IN ('Queued', 'Deferred') AND (lease_until IS NULL OR lease_until <= @now) AND (@due IS NULL OR next_attempt_at IS NULL OR next_attempt_at <= @due)) " +
        "OR (status = 'Sending' AND (lease_until IS NULL OR lease_until <= @now))) AND updated_at < @since";

    /// <summary>
    /// The claim: rows another claimant is taking right now are skipped (not waited for), and a locked row is re-checked
    /// against the condition in its newest version, so a digest claimed and committed meanwhile is left alone.
    /// </summary>
    private static readonly string ClaimSql =
        $"WITH picked AS (SELECT id FROM deliveries WHERE {Claimable} ORDER BY id LIMIT @max FOR UPDATE SKIP LOCKED) " +
        "UPDATE deliveries d SET status = 'Sending', claimed_by = @me, lease_until = @lease, attempts = d.attempts + 1, updated_at = @now " +
        "FROM picked WHERE d.id = picked.id RETURNING " + string.Join(", ", Columns.Split(", ").Select(c => "d." + c));

    private const string InsertSql =
        "INSERT INTO deliveries (subscriber_id, email, digest_date, message_id, paper_ids, status, attempts, created_at, updated_at, claimed_by, lease_until, window_from, cutoff_at, trending_papers, paper_matches) " +
        "SELECT @s, @email, @d, @mid, @papers, @status, @attempts, @at, @at, @claim, @lease, @from, @cutoff, @trending, @matches::jsonb " +
        "WHERE NOT EXISTS (SELECT 1 FROM deliveries o WHERE o.subscriber_id = @s AND (o.digest_date = @d OR (o.status IN " + Standing + " AND " +
        "(o.status IN ('Queued', 'Sending', 'Deferred') OR o.created_at > @gap OR o.cutoff_at > @from)))) " +
        "ON CONFLICT (subscriber_id, digest_date) DO NOTHING RETURNING id";

    /// <summary>A digest's papers reserved in one statement; fewer rows than papers means one was already given.</summary>
    private const string ReservePapersSql =
        "INSERT INTO sent_papers (subscriber_id, paper_id, delivery_id) SELECT @s, p, @id FROM unnest(@papers) AS p ON CONFLICT DO NOTHING";

    private const string HistorySql =
        "SELECT s.id, s.email, s.name, s.status, s.time_zone, s.delivery_hour, s.frequency, s.topics, s.keywords, s.excluded_terms, s.max_papers, s.created_at, s.status_changed_at, " +
        "s.trending, s.weekday, l.status, l.digest_date, l.created_at, l.cutoff_at, l.id, a.digest_date, " +
        "CASE WHEN l.id IS NULL AND a.id IS NOT NULL THEN (SELECT MIN(d.window_from) FROM deliveries d WHERE d.subscriber_id = s.id) END, " +
        "CASE WHEN l.status = 'NothingToSend' THEN EXISTS (SELECT 1 FROM deliveries d WHERE d.subscriber_id = s.id AND d.status IN " + Given + ") END " +
        "FROM subscribers s " +
        "LEFT JOIN LATERAL (SELECT d.id, d.status, d.digest_date, d.created_at, d.cutoff_at FROM deliveries d WHERE d.subscriber_id = s.id AND d.status IN " + Standing + " ORDER BY d.id DESC LIMIT 1) l ON true " +
        "LEFT JOIN LATERAL (SELECT d.id, d.digest_date FROM deliveries d WHERE d.subscriber_id = s.id ORDER BY d.id DESC LIMIT 1) a ON true " +
        "WHERE s.status = 'Active' AND s.id > @after ORDER BY s.id LIMIT @limit";

    public async Task<DigestDelivery?> GetAsync(long subscriberId, DateOnly digestDate, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = Command(connection, $"SELECT {Columns} FROM deliveries WHERE subscriber_id = @s AND digest_date = @d");
        Bigint(command, "s", subscriberId);
        Add(command, "d", NpgsqlDbType.Date, digestDate);
        return (await ReadAllAsync(command, cancellationToken)).FirstOrDefault();
    }

    public async Task<IReadOnlyList<DigestDelivery>> ListAsync(DateOnly? digestDate = null, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = Command(connection, $"SELECT {Columns} FROM deliveries WHERE @d IS NULL OR digest_date = @d ORDER BY id");
        Add(command, "d", NpgsqlDbType.Date, digestDate);
        return await ReadAllAsync(command, cancellationToken);
    }

    public async Task<IReadOnlySet<string>> GetSentPaperIdsAsync(long subscriberId, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = Command(connection, "SELECT paper_id FROM sent_papers WHERE subscriber_id = @s");
        Bigint(command, "s", subscriberId);
        var ids = new HashSet<string>(StringComparer.Ordinal);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken)) ids.Add(reader.GetString(0));
        return ids;
    }

    public async Task<IReadOnlyDictionary<long, IReadOnlySet<string>>> GetSentPaperIdsAsync(IReadOnlyList<long> subscriberIds,
        DateTimeOffset firstSeenSince, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = Command(connection,
            "SELECT sp.subscriber_id, sp.paper_id FROM sent_papers sp JOIN papers p ON p.id = sp.paper_id " +
            "WHERE sp.subscriber_id = ANY(@ids) AND p.first_seen_at >= @since");
        Add(command, "ids", NpgsqlTypes.NpgsqlDbType.Array | NpgsqlTypes.NpgsqlDbType.Bigint, subscriberIds.ToArray());
        Time(command, "since", firstSeenSince);
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

    public async Task<DateTimeOffset> TakeCutoffAsync(DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        // Waits for paper upserts holding the row (FOR SHARE) to commit, so their papers are before the new cut-off.
        await using var command = Command(connection,
            "UPDATE paper_cutoff SET cutoff_at = greatest(cutoff_at, @now) WHERE id = 1 RETURNING cutoff_at");
        Time(command, "now", now);
        return ScalarTime(await command.ExecuteScalarAsync(cancellationToken));
    }

    public async Task<IReadOnlyList<SubscriberHistory>> ReadHistoryAsync(long afterSubscriberId, int limit, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = Command(connection, HistorySql);
        Bigint(command, "after", afterSubscriberId);
        Integer(command, "limit", limit);
        var page = new List<SubscriberHistory>(limit);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var subscriber = PostgresSubscriberStore.Read(reader);
            DigestDelivery? latest = reader.IsDBNull(15) ? null : new DigestDelivery
            {
                Id = reader.GetInt64(19),
                SubscriberId = subscriber.Id,
                Email = subscriber.Email,
                MessageId = "",
                Status = Enum.Parse<DeliveryStatus>(reader.GetString(15)),
                DigestDate = reader.GetFieldValue<DateOnly>(16),
                CreatedAt = ReadTime(reader, 17),
                CutoffAt = ReadTimeOrNull(reader, 18),
            };
            page.Add(new SubscriberHistory(subscriber, latest, reader.IsDBNull(20) ? null : reader.GetFieldValue<DateOnly>(20))
            {
                UnservedSince = ReadTimeOrNull(reader, 21),
                EverGiven = latest is not null && (latest.Status != DeliveryStatus.NothingToSend || (!reader.IsDBNull(22) && reader.GetBoolean(22))),
            });
        }
        return page;
    }

    public async Task<IReadOnlyList<CreateResult>> CreateAsync(IReadOnlyList<DigestDraft> drafts, DigestClaim claim, CancellationToken cancellationToken = default)
    {
        var results = new List<CreateResult>(drafts.Count);
        if (drafts.Count == 0) return results;
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        // The subscriber's row, locked until commit: the per-subscriber turn SQLite's single writer gives for free.
        await using var active = Command(connection, "SELECT status = 'Active' FROM subscribers WHERE id = @s FOR UPDATE", transaction);
        var activeId = Bigint(active, "s", null);
        await using var insert = Command(connection, InsertSql, transaction);
        var s = Bigint(insert, "s", null);
        var email = Text(insert, "email", null);
        var date = Add(insert, "d", NpgsqlDbType.Date);
        var mid = Text(insert, "mid", null);
        var papers = List(insert, "papers", null);
        var status = Text(insert, "status", null);
        var attempts = Integer(insert, "attempts", null);
        var at = Time(insert, "at", null);
        var claimant = Text(insert, "claim", null);
        var lease = Time(insert, "lease", null);
        var from = Time(insert, "from", null);
        var cutoff = Time(insert, "cutoff", null);
        var gap = Time(insert, "gap", null);
        var trending = Integer(insert, "trending", null);
        var matches = Text(insert, "matches", null);
        await using var reserve = Command(connection, ReservePapersSql, transaction);
        var reserveSubscriber = Bigint(reserve, "s", null);
        var reservePapers = List(reserve, "papers", null);
        var reserveId = Bigint(reserve, "id", null);
        await using var undo = Command(connection, "DELETE FROM sent_papers WHERE delivery_id = @id; DELETE FROM deliveries WHERE id = @id", transaction);
        var undoId = Bigint(undo, "id", null);

        foreach (var draft in drafts)
        {
            var d = draft.Delivery;
            activeId.Value = d.SubscriberId;
            if (await active.ExecuteScalarAsync(cancellationToken) is not true)
            {
                results.Add(new CreateResult(CreateOutcome.NotActive, null));
                continue;
            }
            var claimed = d.Status == DeliveryStatus.Sending;
            s.Value = d.SubscriberId;
            email.Value = d.Email;
            date.Value = d.DigestDate;
            mid.Value = d.MessageId;
            papers.Value = d.PaperIds.ToArray();
            status.Value = d.Status.ToString();
            attempts.Value = claimed ? 1 : 0;
            at.Value = d.CreatedAt.ToUniversalTime();
            claimant.Value = claimed ? claim.ClaimantId : DBNull.Value;
            lease.Value = claimed ? claim.LeaseUntil.ToUniversalTime() : DBNull.Value;
            from.Value = d.WindowFrom is { } w ? w.ToUniversalTime() : DBNull.Value;
            cutoff.Value = d.CutoffAt is { } c ? c.ToUniversalTime() : DBNull.Value;
            trending.Value = d.TrendingCount;
            gap.Value = draft.GapStart.ToUniversalTime();
            matches.Value = d.PaperMatches is { } m ? Matches(m) : DBNull.Value;
            if (await insert.ExecuteScalarAsync(cancellationToken) is not long id)
            {
                results.Add(new CreateResult(CreateOutcome.AlreadyDecided, null));
                continue;
            }
            reserveSubscriber.Value = d.SubscriberId;
            reserveId.Value = id;
            reservePapers.Value = d.PaperIds.ToArray();
            if (d.PaperIds.Count > 0 && await reserve.ExecuteNonQueryAsync(cancellationToken) < d.PaperIds.Count)
            {
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
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = Command(connection, ClaimSql);
        Text(command, "me", claim.ClaimantId);
        Time(command, "lease", claim.LeaseUntil);
        Time(command, "now", claim.Now);
        Time(command, "due", dueAt);
        Time(command, "since", untouchedSince);
        Integer(command, "max", max);
        var claimed = await ReadAllAsync(command, cancellationToken);
        return claimed.OrderBy(d => d.Id).ToList();
    }

    public async Task<bool> RenewAsync(long deliveryId, DigestClaim claim, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = Command(connection,
            "UPDATE deliveries SET lease_until = @lease WHERE id = @id AND claimed_by = @me AND status = 'Sending'");
        Bigint(command, "id", deliveryId);
        Text(command, "me", claim.ClaimantId);
        Time(command, "lease", claim.LeaseUntil);
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    /// <summary>
    /// Group commit as three set-based statements over arrays (one row per outcome): the outcomes the claimant still
    /// holds are recorded, then the papers of the failed and cancelled among them given back, then addresses suppressed.
    /// </summary>
    public async Task<int> RecordOutcomesAsync(string claimantId, IReadOnlyList<AttemptOutcome> outcomes, CancellationToken cancellationToken = default)
    {
        if (outcomes.Count == 0) return 0;
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using var update = Command(connection,
            "WITH o AS (SELECT * FROM unnest(@ids, @statuses, @replies, @codes, @enhanced, @ats, @nexts, @rfs, @sids, @suppress) " +
            "AS o(id, status, reply, code, enhanced, at, next, rf, subscriber_id, suppress)) " +
            "UPDATE deliveries d SET status = o.status, last_reply = o.reply, last_status_code = o.code, last_enhanced_status_code = o.enhanced, " +
            "updated_at = o.at, next_attempt_at = o.next, sent_at = CASE WHEN o.status = 'Sent' THEN o.at ELSE d.sent_at END, " +
            "recipient_failure = o.rf, claimed_by = NULL, lease_until = NULL FROM o WHERE d.id = o.id AND d.claimed_by = @me " +
            "RETURNING d.id, o.status, o.subscriber_id, o.suppress, o.at", transaction);
        Add(update, "ids", NpgsqlDbType.Array | NpgsqlDbType.Bigint, outcomes.Select(o => o.DeliveryId).ToArray());
        Add(update, "statuses", NpgsqlDbType.Array | NpgsqlDbType.Text, outcomes.Select(o => o.Status.ToString()).ToArray());
        Add(update, "replies", NpgsqlDbType.Array | NpgsqlDbType.Text, outcomes.Select(o => o.Reply).ToArray());
        Add(update, "codes", NpgsqlDbType.Array | NpgsqlDbType.Integer, outcomes.Select(o => o.StatusCode).ToArray());
        Add(update, "enhanced", NpgsqlDbType.Array | NpgsqlDbType.Text, outcomes.Select(o => o.EnhancedStatusCode).ToArray());
        Add(update, "ats", NpgsqlDbType.Array | NpgsqlDbType.TimestampTz, outcomes.Select(o => o.At.ToUniversalTime()).ToArray());
        Add(update, "nexts", NpgsqlDbType.Array | NpgsqlDbType.TimestampTz, outcomes.Select(o => o.NextAttemptAt?.ToUniversalTime()).ToArray());
        Add(update, "rfs", NpgsqlDbType.Array | NpgsqlDbType.Boolean, outcomes.Select(o => o.RecipientFailure).ToArray());
        Add(update, "sids", NpgsqlDbType.Array | NpgsqlDbType.Bigint, outcomes.Select(o => o.SubscriberId).ToArray());
        Add(update, "suppress", NpgsqlDbType.Array | NpgsqlDbType.Boolean, outcomes.Select(o => o.SuppressSubscriber).ToArray());
        Text(update, "me", claimantId);
        var givenBack = new List<long>();
        var suppressed = new List<(long SubscriberId, DateTimeOffset At)>();
        var recorded = 0;
        await using (var reader = await update.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                recorded++;
                if (reader.GetString(1) is nameof(DeliveryStatus.Failed) or nameof(DeliveryStatus.Cancelled)) givenBack.Add(reader.GetInt64(0));
                if (reader.GetBoolean(3)) suppressed.Add((reader.GetInt64(2), ReadTime(reader, 4)));
            }
        }
        if (givenBack.Count > 0)
        {
            await using var giveBack = Command(connection, "DELETE FROM sent_papers WHERE delivery_id = ANY(@ids)", transaction);
            Add(giveBack, "ids", NpgsqlDbType.Array | NpgsqlDbType.Bigint, givenBack.ToArray());
            await giveBack.ExecuteNonQueryAsync(cancellationToken);
        }
        if (suppressed.Count > 0)
        {
            await using var suppress = Command(connection,
                "UPDATE subscribers s SET status = 'Bounced', status_changed_at = x.at FROM unnest(@ids, @ats) AS x(id, at) WHERE s.id = x.id AND s.status = 'Active'",
                transaction);
            Add(suppress, "ids", NpgsqlDbType.Array | NpgsqlDbType.Bigint, suppressed.Select(x => x.SubscriberId).ToArray());
            Add(suppress, "ats", NpgsqlDbType.Array | NpgsqlDbType.TimestampTz, suppressed.Select(x => x.At.ToUniversalTime()).ToArray());
            await suppress.ExecuteNonQueryAsync(cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
        return recorded;
    }

    public async Task ReleaseAsync(string claimantId, IReadOnlyList<long> deliveryIds, CancellationToken cancellationToken = default)
    {
        if (deliveryIds.Count == 0) return;
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = Command(connection,
            "UPDATE deliveries SET status = CASE WHEN next_attempt_at IS NULL THEN 'Queued' ELSE 'Deferred' END, attempts = attempts - 1, " +
            "claimed_by = NULL, lease_until = NULL WHERE id = ANY(@ids) AND claimed_by = @me AND status = 'Sending'");
        Add(command, "ids", NpgsqlDbType.Array | NpgsqlDbType.Bigint, deliveryIds.ToArray());
        Text(command, "me", claimantId);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<LedgerBacklog> BacklogAsync(string claimantId, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = Command(connection,
            "SELECT (COUNT(*) FILTER (WHERE status = 'Sending' AND lease_until > @now AND claimed_by <> @me))::int, " +
            "(COUNT(*) FILTER (WHERE status = 'Deferred' AND next_attempt_at > @now))::int, " +
            "MIN(next_attempt_at) FILTER (WHERE status = 'Deferred' AND next_attempt_at > @now) " +
            "FROM deliveries WHERE status IN ('Sending', 'Deferred')");
        Time(command, "now", now);
        Text(command, "me", claimantId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return new LedgerBacklog(reader.GetInt32(0), reader.GetInt32(1), ReadTimeOrNull(reader, 2));
    }

    public async Task<int> CountRecipientFailuresAsync(long subscriberId, long exceptDeliveryId, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = Command(connection,
            "SELECT COUNT(*)::int FROM deliveries WHERE subscriber_id = @s AND status = 'Failed' AND recipient_failure AND id <> @except");
        Bigint(command, "s", subscriberId);
        Bigint(command, "except", exceptDeliveryId);
        return (int)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    public async Task<RetryFailedResult> RetryFailedAsync(DateOnly digestDate, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var failed = new List<(long Id, long SubscriberId, string Email, string[] PaperIds, string SubscriberStatus)>();
        // The subscribers' rows locked, as when recording new digests: nobody decides for them meanwhile.
        await using (var select = Command(connection,
            "SELECT d.id, d.subscriber_id, d.email, d.paper_ids, s.status FROM deliveries d JOIN subscribers s ON s.id = d.subscriber_id " +
            "WHERE d.digest_date = @d AND d.status = 'Failed' ORDER BY d.id FOR UPDATE OF s", transaction))
        {
            Add(select, "d", NpgsqlDbType.Date, digestDate);
            await using var reader = await select.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
                failed.Add((reader.GetInt64(0), reader.GetInt64(1), reader.GetString(2), reader.GetFieldValue<string[]>(3), reader.GetString(4)));
        }
        await using var later = Command(connection,
            "SELECT 1 FROM deliveries o WHERE o.subscriber_id = @s AND o.id <> @id AND " +
            "(o.status IN ('Queued', 'Sending', 'Deferred') OR (o.id > @id AND o.status IN ('Sent', 'NothingToSend', 'FeedOnly'))) LIMIT 1", transaction);
        var laterSubscriber = Bigint(later, "s", null);
        var laterId = Bigint(later, "id", null);
        await using var reserve = Command(connection, ReservePapersSql, transaction);
        var reserveSubscriber = Bigint(reserve, "s", null);
        var reservePapers = List(reserve, "papers", null);
        var reserveId = Bigint(reserve, "id", null);
        await using var undo = Command(connection, "DELETE FROM sent_papers WHERE delivery_id = @id", transaction);
        var undoId = Bigint(undo, "id", null);
        await using var due = Command(connection,
            "UPDATE deliveries SET status = 'Deferred', next_attempt_at = @now, updated_at = @now, attempts = 0, recipient_failure = false, " +
            "claimed_by = NULL, lease_until = NULL WHERE id = @id AND status = 'Failed'", transaction);
        Time(due, "now", now);
        var dueId = Bigint(due, "id", null);

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
            reservePapers.Value = paperIds;
            if (paperIds.Length > 0 && await reserve.ExecuteNonQueryAsync(cancellationToken) < paperIds.Length)
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
            "SELECT lower(substr(email, strpos(email, '@') + 1)) AS domain, (COUNT(*) FILTER (WHERE status = 'Failed'))::int, " +
            "(COUNT(*) FILTER (WHERE status = 'Deferred'))::int, (COUNT(*) FILTER (WHERE status = 'Failed' AND recipient_failure))::int " +
            "FROM deliveries WHERE status IN ('Failed', 'Deferred') AND digest_date >= @since " +
            "GROUP BY domain ORDER BY 2 DESC, 3 DESC, lower(substr(email, strpos(email, '@') + 1)) COLLATE \"C\" LIMIT @max");
        Add(command, "since", NpgsqlDbType.Date, since);
        Integer(command, "max", max);
        var result = new List<DomainFailures>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
            result.Add(new DomainFailures(reader.GetString(0), reader.GetInt32(1), reader.GetInt32(2), reader.GetInt32(3)));
        return result;
    }

    internal static async Task<IReadOnlyList<DigestDelivery>> ReadAllAsync(NpgsqlCommand command, CancellationToken cancellationToken)
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
                DigestDate = reader.GetFieldValue<DateOnly>(3),
                MessageId = reader.GetString(4),
                PaperIds = ReadList(reader, 5),
                Status = Enum.Parse<DeliveryStatus>(reader.GetString(6)),
                Attempts = reader.GetInt32(7),
                LastReply = ReadTextOrNull(reader, 8),
                CreatedAt = ReadTime(reader, 9),
                UpdatedAt = ReadTime(reader, 10),
                NextAttemptAt = ReadTimeOrNull(reader, 11),
                SentAt = ReadTimeOrNull(reader, 12),
                LastStatusCode = ReadIntOrNull(reader, 13),
                LastEnhancedStatusCode = ReadTextOrNull(reader, 14),
                ClaimedBy = ReadTextOrNull(reader, 15),
                LeaseUntil = ReadTimeOrNull(reader, 16),
                WindowFrom = ReadTimeOrNull(reader, 17),
                CutoffAt = ReadTimeOrNull(reader, 18),
                RecipientFailure = reader.GetBoolean(19),
                TrendingCount = reader.GetInt32(20),
                PaperMatches = ReadTextOrNull(reader, 21) is { } matches ? ParseMatches(matches) : null,
            });
        }
        return result;
    }
}
