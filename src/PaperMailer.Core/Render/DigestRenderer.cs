using HandlebarsDotNet;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using PaperMailer.Configuration;

namespace PaperMailer.Render;

/// <summary>
/// Renders digests from the Handlebars templates in <see cref="TemplateOptions.Directory"/>:
/// <c>digest.subject.hbs</c>, <c>digest.txt.hbs</c>, <c>digest.html.hbs</c>, and partials from <c>partials/*.hbs</c>
/// (a partial's name is its file name without .hbs). A change on disk is picked up at the next render, but only
/// after the new files pass every check (<see cref="TemplateSet"/>): a broken edit is logged with file, line and
/// column and rejected, and the last good templates stay in use. With no good templates at all, nothing renders.
/// </summary>
public sealed class DigestRenderer(IOptions<TemplateOptions> options, ILogger<DigestRenderer>? logger = null)
{
    public const string SubjectFile = TemplateSet.SubjectFile;
    public const string TextFile = TemplateSet.TextFile;
    public const string HtmlFile = TemplateSet.HtmlFile;

    private readonly TemplateOptions _options = options.Value;
    private readonly ILogger _logger = logger ?? NullLogger<DigestRenderer>.Instance;
    private readonly Lock _lock = new();
    private TemplateSet? _good;
    private string? _fingerprint;
    private IReadOnlyList<TemplateProblem> _problems = [];

    public string Directory => ContentPaths.Resolve(_options.Directory);

    /// <summary>The version in use (a hash of the files), or null when no good templates were ever loaded.</summary>
    public string? Version
    {
        get
        {
            Refresh();
            lock (_lock) return _good?.Version;
        }
    }

    /// <summary>What is wrong with the files on disk now; empty when the newest edit was accepted.</summary>
    public IReadOnlyList<TemplateProblem> Problems
    {
        get
        {
            Refresh();
            lock (_lock) return _problems;
        }
    }

    public RenderedDigest Render(DigestContent content)
    {
        var templates = Current();
        var model = DigestTemplateModel.Build(content, _options);
        return new RenderedDigest(
            SingleLine(Run(templates.Subject, model, SubjectFile)),
            NormalizeNewlines(Run(templates.Text, model, TextFile)),
            NormalizeNewlines(Run(templates.Html, model, HtmlFile)));
    }

    /// <summary>Throws <see cref="TemplateException"/> listing every problem when there are no good templates to render with.</summary>
    public void Validate() => Current();

    /// <summary>Checks the files on disk now, as loading would, without changing what is in use.</summary>
    public IReadOnlyList<TemplateProblem> Check()
    {
        EnsureDirectory();
        return TemplateSet.Load(Directory, _options).Problems;
    }

    private TemplateSet Current()
    {
        Refresh();
        lock (_lock)
        {
            if (_good is not null) return _good;
            throw new TemplateException(
                $"The templates in {_options.Directory} cannot be used, so no digest is rendered: {string.Join("; ", _problems.Select(p => p.ToString(_options.Directory)))}",
                _problems);
        }
    }

    private void Refresh()
    {
        EnsureDirectory();
        var fingerprint = Fingerprint(Directory);
        lock (_lock)
        {
            if (fingerprint == _fingerprint) return;
            var (loaded, problems) = TemplateSet.Load(Directory, _options);
            _fingerprint = fingerprint;
            _problems = problems;
            if (loaded is not null)
            {
                if (_good is not null && _good.Version != loaded.Version)
                    _logger.LogInformation("Templates reloaded from {Directory} (version {Version})", _options.Directory, loaded.Version);
                _good = loaded;
                return;
            }
            foreach (var problem in problems)
            {
                _logger.LogError("Template edit rejected, {Keeping}: {Problem}",
                    _good is null ? "no good version to fall back on" : $"version {_good.Version} stays in use", problem.ToString(_options.Directory));
            }
        }
    }

    private void EnsureDirectory()
    {
        if (!System.IO.Directory.Exists(Directory))
            throw new TemplateException($"Templates:Directory \"{_options.Directory}\" does not exist (looked in {Directory}).");
    }

    private static string Run(HandlebarsTemplate<object, object> template, object model, string name)
    {
        try
        {
            return template(model);
        }
        catch (Exception ex) when (ex is HandlebarsException or TemplateHelperException)
        {
            throw new TemplateException($"Template {name} failed to render: {ex.Message.Trim()}", inner: ex);
        }
    }

    private static string Fingerprint(string directory) =>
        TemplateFiles.Fingerprint(System.IO.Directory.EnumerateFiles(directory, "*.hbs", SearchOption.AllDirectories).Order(StringComparer.Ordinal));

    /// <summary>A subject is one header line: a newline from a template or a paper title must never start a new header.</summary>
    private static string SingleLine(string text) => string.Join(' ', text.Split(['\r', '\n', '\t'], StringSplitOptions.RemoveEmptyEntries)).Trim();

    private static string NormalizeNewlines(string text) => text.Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n');
}
