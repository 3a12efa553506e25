using System.Buffers;
using System.Text;
using System.Text.Unicode;
using PaperMailer.Domain;

namespace PaperMailer.Subscriptions.Import;

/// <summary>
/// Reads the file behind <c>papermailer subscribers import FILE</c>: CSV with a header row, or JSON lines when the
/// first non-blank character is <c>{</c>. Fields: email (required), name, topics, keywords, exclude (lists separated
/// by <c>;</c>), timezone (default UTC), hour (default 8), frequency (daily or weekly, default daily), trending (yes or no, default no) and max_papers
/// (default 10). Imported subscribers are Active, as an operator vouches for them. The file is taken whole or not at
/// all: one problem anywhere and the result holds every problem and no subscribers.
/// </summary>
public static class SubscriberImportReader
{
    public static SubscriberImportResult Read(string path, IReadOnlyList<Topic> topics, TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(path);
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return SubscriberImportResult.Failure(path, [new ImportProblem(0, $"cannot read the file: {ex.Message}")]);
        }
        if (!TryDecodeUtf8(bytes, out var text, out var badLine))
        {
            return SubscriberImportResult.Failure(path, [new ImportProblem(badLine, "the file is not UTF-8 text; save it as UTF-8 (\"CSV UTF-8\" in spreadsheet programs)")]);
        }
        return ReadText(text, path, topics, clock);
    }

    /// <param name="displayName">How errors name the source, as in <c>subscribers.csv:12: …</c>.</param>
    public static SubscriberImportResult Read(TextReader reader, string displayName, IReadOnlyList<Topic> topics, TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(reader);
        return ReadText(reader.ReadToEnd(), displayName, topics, clock);
    }

    private static SubscriberImportResult ReadText(string text, string displayName, IReadOnlyList<Topic> topics, TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(displayName);
        ArgumentNullException.ThrowIfNull(topics);
        ArgumentNullException.ThrowIfNull(clock);
        if (text.Length > 0 && text[0] == '\uFEFF') text = text[1..];

        var batch = new SubscriberImportBatch(displayName, topics, clock.GetUtcNow());
        var first = text.AsSpan().TrimStart();
        if (first.Length > 0 && first[0] == '{') JsonLinesSubscriberFile.Read(text, batch);
        else CsvSubscriberFile.Read(text, batch);
        return batch.ToResult();
    }

    /// <summary>Strict decoding: a file saved in a legacy code page would otherwise import mangled names silently.</summary>
    private static bool TryDecodeUtf8(byte[] bytes, out string text, out int badLine)
    {
        ReadOnlySpan<byte> source = bytes;
        if (source.StartsWith(Encoding.UTF8.Preamble)) source = source[Encoding.UTF8.Preamble.Length..];
        var chars = ArrayPool<char>.Shared.Rent(Math.Max(source.Length, 1));
        try
        {
            var status = Utf8.ToUtf16(source, chars, out var read, out var written, replaceInvalidSequences: false);
            if (status != OperationStatus.Done)
            {
                text = "";
                badLine = source[..read].Count((byte)'\n') + 1;
                return false;
            }
            text = new string(chars, 0, written);
            badLine = 0;
            return true;
        }
        finally
        {
            ArrayPool<char>.Shared.Return(chars);
        }
    }
}
