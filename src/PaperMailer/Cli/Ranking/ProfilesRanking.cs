using System.Buffers;
using System.Collections.Concurrent;
using PaperMailer.Domain;
using PaperMailer.Rank;
using PaperMailer.Rank.Semantic;

namespace PaperMailer.Cli.Ranking;

/// <summary>A line of a profiles file that is not a usable profile: its number and the reason, one sentence.</summary>
internal sealed record BadProfileLine(int LineNumber, string Reason);

/// <summary>
/// <c>rank --profiles</c>: every profile of a JSON lines file ranked against one set of papers, one JSON line per
/// profile printed in the file's order. All or nothing: the whole file is read and every line parsed first (while the
/// papers are indexed), so that a bad line is reported before anything is printed; then the profiles are ranked and
/// written to their own buffers in batches on every core, the buffers going out in order. The parsed profiles of a
/// file of up to <see cref="MaxProfilesKept"/> profiles are kept from the first pass to the second (a few hundred bytes
/// each: their keywords are shared); a longer file is read and parsed again in the second pass, so that memory stays
/// bounded whatever its length.
/// </summary>
/// <remarks>
/// Lines are written from the ranker's selection, blended when paper vectors are given (<c>rank</c> blends in
/// similarity of meaning by default), lexical without; no result records are made. The vectors are asked for once the
/// file is checked, with the profiles that bring its distinct keywords and topics (<see cref="ProfileTextsSeen"/>), so
/// that they are ready before any profile is ranked.
/// </remarks>
internal sealed class ProfilesRanking(Task<PaperIndex> indexing, PaperRanker ranker, IReadOnlyList<Topic> topics, int top,
    Func<PaperIndex, IReadOnlyList<RankingProfile>, Task<PaperVectors?>>? vectorsOf = null)
{
    /// <summary>
    /// Small enough that a batch's output (a few KB per profile) stays a few MB and the cores share the work evenly;
    /// large enough that handing a batch to a thread costs nothing next to ranking it.
    /// </summary>
    private const int LinesPerBatch = 512;

    /// <summary>Profiles kept parsed between the passes (under 200 MB); beyond, the file is parsed twice.</summary>
    internal const int MaxProfilesKept = 200_000;

    private readonly ConcurrentBag<ArrayBufferWriter<byte>> _buffers = [];
    private readonly RankedResultsCache _results = new();
    private readonly ProfileTextsSeen _seen = new();

    /// <summary>
    /// Checks the file, then ranks its profiles and writes their lines to <paramref name="output"/>. Returns the first
    /// bad line, with nothing written, or null when every line was a profile and all were written.
    /// </summary>
    /// <exception cref="InvalidDataException">The file is not UTF-8 text.</exception>
    public Task<BadProfileLine?> RunAsync(string path, JsonLinesOutput output, CancellationToken cancellationToken) =>
        RunAsync(path, output, MaxProfilesKept, cancellationToken);

    internal async Task<BadProfileLine?> RunAsync(string path, JsonLinesOutput output, int maxProfilesKept, CancellationToken cancellationToken)
    {
        // Checking needs no papers, so the index (a fraction of a second for a few hundred papers) is built meanwhile.
        var (bad, parsed) = await CheckAsync(path, maxProfilesKept, cancellationToken);
        var index = await indexing.WaitAsync(cancellationToken);
        if (bad is not null) return bad;

        var lines = new ResultLines(index);
        var vectors = vectorsOf is null ? null : await vectorsOf(index, _seen.Profiles);
        if (parsed is not null)
        {
            await OrderedBatchWork.RunAsync(
                InMemory(parsed),
                (batch, ct) => Rank(batch, index, lines, vectors, output.NewLine, ct),
                async (ranked, ct) =>
                {
                    await WriteAsync(output, ranked.Lines, ct);
                    return true;
                },
                cancellationToken);
            return null;
        }
        await OrderedBatchWork.RunAsync(
            ProfileLineBatches.ReadAsync(path, LinesPerBatch, cancellationToken),
            (batch, ct) => Rank(Parse(batch, ct), index, lines, vectors, output.NewLine, ct),
            async (ranked, ct) =>
            {
                await WriteAsync(output, ranked.Lines, ct);
                bad = ranked.Bad;
                return bad is null;
            },
            cancellationToken);
        // A bad line here means the file changed after it was checked; what was ranked before it has been written.
        return bad;
    }

    private async ValueTask WriteAsync(JsonLinesOutput output, ArrayBufferWriter<byte> lines, CancellationToken cancellationToken)
    {
        await output.WriteAsync(lines.WrittenMemory, cancellationToken);
        lines.ResetWrittenCount();
        _buffers.Add(lines);
    }

    /// <summary>
    /// The first bad line, or null and the parsed profiles in batches (null when there are more than
    /// <paramref name="maxProfilesKept"/>).
    /// </summary>
    private async Task<(BadProfileLine? Bad, List<ParsedBatch>? Parsed)> CheckAsync(string path, int maxProfilesKept, CancellationToken cancellationToken)
    {
        BadProfileLine? bad = null;
        List<ParsedBatch>? parsed = [];
        var kept = 0;
        await OrderedBatchWork.RunAsync(
            ProfileLineBatches.ReadAsync(path, LinesPerBatch, cancellationToken),
            (batch, ct) => Parse(batch, ct),
            (batch, _) =>
            {
                bad = batch.Bad;
                if (bad is not null) return ValueTask.FromResult(false);
                _seen.Add(batch.Profiles.Take(batch.Count));
                kept += batch.Count;
                if (kept > maxProfilesKept) parsed = null;
                parsed?.Add(batch);
                return ValueTask.FromResult(true);
            },
            cancellationToken);
        return (bad, bad is null ? parsed : null);
    }

    private static async IAsyncEnumerable<ParsedBatch> InMemory(List<ParsedBatch> batches)
    {
        await Task.CompletedTask;
        foreach (var batch in batches) yield return batch;
    }

    /// <summary>
    /// A batch's profiles, parsed (blank lines skipped), up to its first bad line: its number and reason in
    /// <see cref="Bad"/>.
    /// </summary>
    private sealed record ParsedBatch(string[] Ids, RankingProfile[] Profiles, int Count, BadProfileLine? Bad);

    private ParsedBatch Parse(LineBatch batch, CancellationToken cancellationToken)
    {
        var ids = new string[batch.Count];
        var profiles = new RankingProfile[batch.Count];
        var count = 0;
        for (var i = 0; i < batch.Count; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (ProfileLine.IsBlank(batch[i])) continue;
            try
            {
                var line = ProfileLine.Parse(batch[i]);
                profiles[count] = ProfileParser.Parse(line.Profile, topics);
                ids[count++] = line.Id;
            }
            catch (ProfileFormatException ex)
            {
                return new ParsedBatch(ids, profiles, count, new BadProfileLine(batch.FirstLineNumber + i, ex.Message));
            }
        }
        return new ParsedBatch(ids, profiles, count, null);
    }

    private readonly record struct RankedBatch(ArrayBufferWriter<byte> Lines, BadProfileLine? Bad);

    /// <summary>
    /// Ranks and writes one batch's profiles (up to its bad line, if it has one); a profile ranked before is written
    /// from its remembered results.
    /// </summary>
    private RankedBatch Rank(ParsedBatch batch, PaperIndex index, ResultLines json, PaperVectors? vectors, byte[] newLine,
        CancellationToken cancellationToken)
    {
        var lines = _buffers.TryTake(out var reused) ? reused : new ArrayBufferWriter<byte>(1024 * 1024);
        for (var i = 0; i < batch.Count; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var profile = batch.Profiles[i];
            ResultLines.WriteId(lines, batch.Ids[i]);
            if (_results.TryGet(profile, out var known))
            {
                lines.Write(known.Span);
            }
            else
            {
                var start = lines.WrittenCount;
                json.WriteResults(lines, ranker.Select(index, profile, top, vectors));
                _results.Remember(profile, lines.WrittenSpan[start..]);
            }
            lines.Write(newLine);
        }
        return new RankedBatch(lines, batch.Bad);
    }
}
