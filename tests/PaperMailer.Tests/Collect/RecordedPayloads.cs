using System.Text;
using System.Xml.Linq;
using PaperMailer.Tests.Support;

namespace PaperMailer.Tests.Collect;

/// <summary>
/// Real recorded responses (see the .source.txt notes next to them): the Hugging Face listing of 2026-06-12, an
/// arXiv API query result (5 entries) and an arXiv announcement feed (cs.AI, 41 new and 45 cross-lists).
/// </summary>
public static class RecordedPayloads
{
    public const string HuggingFaceDay = "2026-06-12";

    public static byte[] HuggingFace { get; } = File.ReadAllBytes(SamplePapers.FilePath);

    public static byte[] ArxivApi { get; } = File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Collect", "Data", "arxiv-api.sample.atom.xml"));

    public static byte[] ArxivFeed { get; } = File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Collect", "Data", "arxiv-rss-atom.sample.xml"));

    /// <summary>The first half of a payload, as a connection cut mid-transfer would leave it.</summary>
    public static byte[] Truncated(byte[] payload) => payload[..(payload.Length / 2)];

    /// <summary>The recorded API response reduced to entries [start, start + count), as arXiv pages its results.</summary>
    public static byte[] ArxivApiPage(int start, int count)
    {
        var document = XDocument.Parse(Encoding.UTF8.GetString(ArxivApi));
        XNamespace atom = "http://www.w3.org/2005/Atom";
        var entries = document.Root!.Elements(atom + "entry").ToList();
        for (var i = 0; i < entries.Count; i++)
        {
            if (i < start || i >= start + count) entries[i].Remove();
        }
        return Encoding.UTF8.GetBytes(document.ToString());
    }

    /// <summary>The recorded API response with text replaced, for cases the recording lacks (a second version, a replacement).</summary>
    public static byte[] Edited(byte[] payload, string from, string to)
    {
        var text = Encoding.UTF8.GetString(payload);
        Assert.Contains(from, text);
        return Encoding.UTF8.GetBytes(text.Replace(from, to, StringComparison.Ordinal));
    }

    public static int Query(Microsoft.AspNetCore.Http.HttpContext context, string name, int fallback) =>
        int.TryParse(context.Request.Query[name], out var value) ? value : fallback;
}
