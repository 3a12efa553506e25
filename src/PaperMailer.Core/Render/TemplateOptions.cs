using System.ComponentModel.DataAnnotations;

namespace PaperMailer.Render;

public sealed class TemplateOptions
{
    public const string SectionName = "Templates";

    /// <summary>Folder holding the Scriban templates (digest.*.sbn, confirm.*.sbn, partials/, web/). Default "templates".</summary>
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

    /// <summary>
    /// Most characters one template may write; a template that writes more stops with an error naming the line
    /// (it is never cut short silently). Default 2,000,000 (about 2 MB), twenty times the largest default digest.
    /// </summary>
    [Range(10_000, 100_000_000)]
    public int MaxOutputCharacters { get; set; } = 2_000_000;

    /// <summary>Longest one render may take before it is stopped with an error. Default 2 seconds.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:01:00")]
    public TimeSpan RenderTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// Most loop iterations per outermost loop, nested loops counted together (two nested loops over 50 papers
    /// are 2,550). Default 10,000.
    /// </summary>
    [Range(100, 10_000_000)]
    public int LoopLimit { get; set; } = 10_000;

    /// <summary>How deeply includes and template functions may call one another. Default 20.</summary>
    [Range(2, 1000)]
    public int RecursionLimit { get; set; } = 20;

    /// <summary>
    /// Memory one render may allocate in total, in megabytes; a template that builds ever larger values stops
    /// with an error instead of exhausting the service's memory. Default 256.
    /// </summary>
    [Range(16, 4096)]
    public int MaxRenderMemoryMegabytes { get; set; } = 256;
}
