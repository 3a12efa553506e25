using System.Buffers;
using System.Collections.Concurrent;
using System.Text.Json;
using PaperMailer.Domain;
using PaperMailer.Rank;

namespace PaperMailer.Cli.Ranking;

/// <summary>A line of a profiles file that is not a usable profile: its number and the reason, one sentence.</summary>
internal sealed record BadProfileLine(int LineNumber, string Reason);

/// <summary>
/// <c>rank --profiles</c>: every profile of a JSON lines file ranked against one set of papers, one JSON line per
/// profile printed in the file's order. All or nothing: the whole file is checked first (while the papers are
/// indexed), so that a bad line is reported before anything is printed; then it is read again and its batches of
/// lines are parsed, ranked and written to their own buffers on every core, the buffers going out in order.
/// Neither pass holds more than the batches in flight, whatever the file's length.
/// </summary>
internal sealed class ProfilesRanking(IReadOnlyList<Paper> papers, PaperRanker ranker, IReadOnlyList<Topic> topics, int top)
{
    /// <summary>
    /// Small enough that a batch's output (a few KB per profile) stays a few MB and the cores share the work evenly;
    /// large enough that handing a batch to a thread costs nothing next to ranking it.
    /// </summary>
    private const int LinesPerBatch = 512;

    private readonly ConcurrentBag<ArrayBufferWriter<byte>> _buffers = [];

    /// <summary>
    /// Checks the file, then ranks its profiles and writes their lines to <paramref name="output"/>. Returns the first
    /// bad line, with nothing written, or null when every line was a profile and all were written.
    /// </summary>
    /// <exception cref="InvalidDataException">The file is not UTF-8 text.</exception>
    public async Task<BadProfileLine?> RunAsync(string path, JsonLinesOutput output, CancellationToken cancellationToken)
    {
        // Checking needs no papers, so the index (a fraction of a second for a few hundred papers) is built meanwhile.
        var indexing = Task.Run(() => PaperIndex.Build(papers), cancellationToken);
        var bad = await FirstBadLineAsync(path, cancellationToken);
        var index = await indexing;
        if (bad is not null) return bad;

        var json = new RankedPapersJson(index);
        await OrderedBatchWork.RunAsync(
            ProfileLineBatches.ReadAsync(path, LinesPerBatch, cancellationToken),
            (batch, ct) => Rank(batch, index, json, output.NewLine, ct),
            async (ranked, ct) =>
            {
                await output.WriteAsync(ranked.Lines.WrittenMemory, ct);
                ranked.Lines.ResetWrittenCount();
                _buffers.Add(ranked.Lines);
                bad = ranked.Bad;
                return bad is null;
            },
            cancellationToken);
        // A bad line here means the file changed after it was checked; what was ranked before it has been written.
        return bad;
    }

    private async Task<BadProfileLine?> FirstBadLineAsync(string path, CancellationToken cancellationToken)
    {
        BadProfileLine? bad = null;
        await OrderedBatchWork.RunAsync(
            ProfileLineBatches.ReadAsync(path, LinesPerBatch, cancellationToken),
            (batch, ct) => FirstBadLine(batch, ct),
            (found, _) =>
            {
                bad = found;
                return ValueTask.FromResult(bad is null);
            },
            cancellationToken);
        return bad;
    }

    private BadProfileLine? FirstBadLine(LineBatch batch, CancellationToken cancellationToken)
    {
        for (var i = 0; i < batch.Count; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (ProfileLine.IsBlank(batch[i])) continue;
            try
            {
                ProfileLine.Parse(batch[i]).ToRankingProfile(topics);
            }
            catch (ProfileFormatException ex)
            {
                return new BadProfileLine(batch.FirstLineNumber + i, ex.Message);
            }
        }
        return null;
    }

    private readonly record struct RankedBatch(ArrayBufferWriter<byte> Lines, BadProfileLine? Bad);

    /// <summary>Parses, ranks and writes one batch, up to its first bad line.</summary>
    private RankedBatch Rank(LineBatch batch, PaperIndex index, RankedPapersJson json, byte[] newLine, CancellationToken cancellationToken)
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
            json.WriteProfile(writer, line.Id, ranker.Rank(index, profile, top));
            writer.Flush();
            writer.Reset();
            lines.Write(newLine);
        }
        return new RankedBatch(lines, null);
    }
}
