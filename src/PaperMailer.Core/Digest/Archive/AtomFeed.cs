using System.Globalization;
using System.Text;
using System.Xml;

namespace PaperMailer.Digest.Archive;

/// <summary>
/// An Atom feed (RFC 4287) and its XML. The feed names an author, so every entry has one even when its paper lists
/// none; every text goes through the XML writer's escaping, with characters XML cannot hold removed first.
/// </summary>
public sealed record AtomFeed(string Id, string Title, string Subtitle, DateTimeOffset Updated, string SelfLink, string AuthorName, IReadOnlyList<AtomEntry> Entries)
{
    public const string ContentType = "application/atom+xml; charset=utf-8";
    internal const string Namespace = "http://www.w3.org/2005/Atom";

    public byte[] ToXml()
    {
        using var buffer = new MemoryStream();
        using (var xml = XmlWriter.Create(buffer, new XmlWriterSettings { Encoding = new UTF8Encoding(false), Indent = true }))
        {
            xml.WriteStartDocument();
            xml.WriteStartElement("feed", Namespace);
            Element(xml, "id", Id);
            Element(xml, "title", Title);
            if (Subtitle.Length > 0) Element(xml, "subtitle", Subtitle);
            Element(xml, "updated", Time(Updated));
            Link(xml, "self", SelfLink, ContentType.Split(';')[0]);
            xml.WriteStartElement("author", Namespace);
            Element(xml, "name", AuthorName);
            xml.WriteEndElement();
            Element(xml, "generator", "PaperMailer");
            foreach (var entry in Entries) entry.Write(xml);
            xml.WriteEndElement();
        }
        return buffer.ToArray();
    }

    internal static void Element(XmlWriter xml, string name, string text) => xml.WriteElementString(name, Namespace, XmlSafe(text));

    internal static void Link(XmlWriter xml, string rel, string href, string? type = null)
    {
        xml.WriteStartElement("link", Namespace);
        xml.WriteAttributeString("rel", rel);
        if (type is not null) xml.WriteAttributeString("type", type);
        xml.WriteAttributeString("href", XmlSafe(href));
        xml.WriteEndElement();
    }

    internal static string Time(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <summary>The text without what XML 1.0 cannot carry (control characters, lone surrogates), which would make the writer throw.</summary>
    internal static string XmlSafe(string text)
    {
        if (XmlConvert.VerifyXmlChars(text) is null) return text;
        var kept = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1])) kept.Append(text[i]).Append(text[++i]);
            else if (XmlConvert.IsXmlChar(text[i])) kept.Append(text[i]);
        }
        return kept.ToString();
    }
}

/// <param name="Link">The paper's page (rel alternate).</param>
/// <param name="RelatedLink">The web copy of the digest that gave it (rel related).</param>
public sealed record AtomEntry(string Id, string Title, DateTimeOffset Updated, string Link, string RelatedLink, string Summary,
    IReadOnlyList<string> Authors, string? Category)
{
    internal void Write(XmlWriter xml)
    {
        xml.WriteStartElement("entry", AtomFeed.Namespace);
        AtomFeed.Element(xml, "id", Id);
        AtomFeed.Element(xml, "title", Title);
        AtomFeed.Element(xml, "updated", AtomFeed.Time(Updated));
        AtomFeed.Element(xml, "published", AtomFeed.Time(Updated));
        AtomFeed.Link(xml, "alternate", Link, "text/html");
        AtomFeed.Link(xml, "related", RelatedLink, "text/html");
        foreach (var author in Authors.Where(a => !string.IsNullOrWhiteSpace(a)))
        {
            xml.WriteStartElement("author", AtomFeed.Namespace);
            AtomFeed.Element(xml, "name", author);
            xml.WriteEndElement();
        }
        if (Category is not null)
        {
            xml.WriteStartElement("category", AtomFeed.Namespace);
            xml.WriteAttributeString("term", AtomFeed.XmlSafe(Category));
            xml.WriteEndElement();
        }
        AtomFeed.Element(xml, "summary", Summary);
        xml.WriteEndElement();
    }
}
