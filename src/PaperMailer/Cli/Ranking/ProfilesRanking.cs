using System.Buffers;
using System.Collections.Concurrent;
using System.Text.Json;
using PaperMailer.Domain;
using PaperMailer.Rank;

namespace PaperMailer.Cli.Ranking;

/// <summary>A line of a profiles file that is not a usable profile: its number and the reason, one sentence.</summary>
internal sealed record BadProfileLine(int LineNumber, string Reason);

/// <summary>
/// <c>rank --profiles</c>: every profile of a JSON lines file ranked against one paper index, one JSON line per
/// profile printed in the file's order. The file is read in batches of lines; each batch is parsed, ranked and
/// written to its own buffer on a pool thread, several batches at once, and the buffers are written out in order, so
/// memory stays bounded by the batches in flight whatever the file's length.
/// </summary>
internal sealed class ProfilesRanking(PaperIndex index, PaperRanker ranker, IReadOnlyList<Topic> topics, int top)
{
    /// <summary>
    /// Small enough that a batch's output (a few KB per profile) stays a few MB and the cores share the work evenly;
    /// large enough that handing a batch to a thread costs nothing next to ranking it.
    /// </summary>
    private const int LinesPerBatch = 512;

    /// <summary>Batches parsed and ranked at once, ahead of the one being written.</summary>
    private static int BatchesInFlight => 2 * Environment.ProcessorCount;

    private readonly ConcurrentBag<ArrayBufferWriter<byte>> _buffers = [];

    /// <summary>
    /// Ranks the file's profiles and writes their lines to <paramref name="output"/>. Returns null when every line
    /// was a profile; otherwise stops at the first bad line and returns it, with the lines before it written.
    /// </summary>
    /// <exception cref="InvalidDataException">The file is not UTF-8 text.</exception>
    public async Task<BadProfileLine?> RunAsync(string path, JsonLinesOutput output, CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var inFlight = new Queue<Task<RankedBatch>>();
        try
        {
            await foreach (var batch in ProfileLineBatches.ReadAsync(path, LinesPerBatch, cancellationToken))
            {
                inFlight.Enqueue(Task.Run(() => Rank(batch, output.NewLine, stop.Token), stop.Token));
                if (inFlight.Count < BatchesInFlight) continue;
                if (await WriteAsync(inFlight.Dequeue(), output, cancellationToken) is { } bad) return bad;
            }
            while (inFlight.Count > 0)
            {
                if (await WriteAsync(inFlight.Dequeue(), output, cancellationToken) is { } bad) return bad;
            }
            return null;
        }
        finally
        {
            // After a bad line (or a failure) the batches behind it are not wanted: stop them and let them end.
            await stop.CancelAsync();
            foreach (var task in inFlight)
            {
                try { await task; }
                catch (OperationCanceledException) { }
            }
        }
    }

    private async Task<BadProfileLine?> WriteAsync(Task<RankedBatch> next, JsonLinesOutput output, CancellationToken cancellationToken)
    {
        var (lines, bad) = await next;
        await output.WriteAsync(lines.WrittenMemory, cancellationToken);
        lines.ResetWrittenCount();
        _buffers.Add(lines);
        return bad;
    }

    private readonly record struct RankedBatch(ArrayBufferWriter<byte> Lines, BadProfileLine? Bad);

    /// <summary>Parses, ranks and writes one batch, up to its first bad line.</summary>
    private RankedBatch Rank(LineBatch batch, byte[] newLine, CancellationToken cancellationToken)
    {
        var lines = _buffers.TryTake(out var reused) ? reused : new ArrayBufferWriter<byte>(1024 * 1024);
        using var writer = new Utf8JsonWriter(lines, RankedPapersJson.WriterOptions(indented: false));
        for (var i = 0; i < batch.Count; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (ProfileLine.IsBlank(batch[i])) continue;
            ProfileLine line;
            RankingProfile profile;
            try
            {
                line = ProfileLine.Parse(batch[i]);
                profile = line.ToRankingProfile(topics);
            }
            catch (ProfileFormatException ex)
            {
                return new RankedBatch(lines, new BadProfileLine(batch.FirstLineNumber + i, ex.Message));
            }
            RankedPapersJson.WriteProfile(writer, line.Id, ranker.Rank(index, profile, top));
            writer.Flush();
            writer.Reset();
            lines.Write(newLine);
        }
        return new RankedBatch(lines, null);
    }
}
