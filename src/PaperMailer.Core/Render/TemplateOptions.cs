using System.ComponentModel.DataAnnotations;

namespace PaperMailer.Render;

public sealed class TemplateOptions
{
    public const string SectionName = "Templates";

    /// <summary>Folder holding digest.html.hbs, digest.txt.hbs, digest.subject.hbs and partials/. Default "templates".</summary>
    [Required(AllowEmptyStrings = false)]
    public string Directory { get; set; } = "templates";

    /// <summary>Site name shown in emails and their From display name. Default "PaperMailer".</summary>
    [Required(AllowEmptyStrings = false)]
    public string SiteName { get; set; } = "PaperMailer";

    /// <summary>Authors listed per paper before "et al.". Default 4.</summary>
    [Range(1, 50)]
    public int MaxAuthors { get; set; } = 4;

    /// <summary>Characters of abstract shown per paper (cut at a word). Default 420.</summary>
    [Range(50, 5000)]
    public int AbstractLength { get; set; } = 420;

    /// <summary>
    /// Papers after this position get <see cref="ShortAbstractLength"/> characters instead, so that a digest of
    /// 50 papers stays under Gmail's 102 KB clipping limit. Default 10.
    /// </summary>
    [Range(1, 50)]
    public int FullAbstractPapers { get; set; } = 10;

    /// <summary>Characters of abstract for papers after <see cref="FullAbstractPapers"/>. Default 200.</summary>
    [Range(50, 5000)]
    public int ShortAbstractLength { get; set; } = 200;
}
