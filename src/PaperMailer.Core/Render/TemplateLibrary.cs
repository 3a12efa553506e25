using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Scriban.Runtime;
using Scriban.Syntax;
using PaperMailer.Configuration;

namespace PaperMailer.Render;

/// <summary>
/// The one place templates come from: digest, confirmation email and site pages alike. The folder is looked at
/// before each render (a cheap fingerprint of names, sizes and times); a changed folder is read, parsed and proven
/// (<see cref="TemplateProof"/>) before it replaces the set in use. A set that fails, on disk or later while
/// rendering real data, is rejected with problems as file:line:column, logged, and the last good set stays in use
/// for every template. With no good set at all nothing renders, and <see cref="TemplateException"/> says why.
/// </summary>
public sealed class TemplateLibrary(IOptions<TemplateOptions> options, ILogger<TemplateLibrary>? logger = null, TemplateMetrics? metrics = null)
{
    /// <summary>
    /// The last context each thread rendered with, reused by its next render of the same set: a digest run renders
    /// tens of thousands of emails, and setting a context up costs more than rendering a subject line. A context whose
    /// render failed is never reused.
    /// </summary>
    [ThreadStatic]
    private static SandboxedTemplateContext? t_context;

    private readonly TemplateOptions _options = options.Value;
    private readonly ILogger _logger = logger ?? NullLogger<TemplateLibrary>.Instance;
    private readonly Lock _lock = new();
    private TemplateSet? _inUse;
    private TemplateSet? _previous;
    private long? _fingerprint;
    private IReadOnlyList<TemplateProblem> _problems = [];

    public string Directory => ContentPaths.Resolve(_options.Directory);

    public TemplateOptions Options => _options;

    /// <summary>The version in use (a hash of the files), or null when no good templates were ever loaded.</summary>
    public string? Version
    {
        get
        {
            Refresh();
            lock (_lock) return _inUse?.Version;
        }
    }

    /// <summary>Why the newest templates are not in use; empty when they are.</summary>
    public IReadOnlyList<TemplateProblem> Problems
    {
        get
        {
            Refresh();
            lock (_lock) return _problems;
        }
    }

    /// <summary>
    /// The text of every template in use under <paramref name="folder"/> (e.g. "web/"), as written, with the version
    /// it belongs to: the site allows exactly the inline scripts its page templates contain.
    /// </summary>
    public (string Version, IReadOnlyList<string> Sources) SourcesUnder(string folder)
    {
        var set = InUse();
        return (set.Version, set.Paths.Where(p => p.StartsWith(folder, StringComparison.Ordinal)).Order(StringComparer.Ordinal).Select(set.Source).ToList());
    }

    /// <summary>Throws <see cref="TemplateException"/> listing every problem when there are no good templates to render with.</summary>
    public void Validate() => InUse();

    /// <summary>Checks the files on disk now, as loading would, without changing what is in use.</summary>
    public IReadOnlyList<TemplateProblem> Check()
    {
        EnsureDirectory();
        return Load().Problems;
    }

    /// <summary>
    /// Renders <paramref name="files"/> (paths under the folder, e.g. "digest.html.sbn") with one model and one
    /// version, the folder looked at first. If the set in use fails on this data, it is rejected like a broken edit
    /// and the previous good set renders instead.
    /// </summary>
    public string[] Render(IReadOnlyDictionary<string, object?> model, string situation, params string[] files) =>
        Render(model, situation, checkFolder: true, files);

    /// <param name="checkFolder">
    /// False renders with the set in use without looking at the folder: for a caller that looked once before many
    /// renders (a digest run calls <see cref="Validate"/> when it starts). Walking the folder before each of a run's
    /// tens of thousands of digests cost more than rendering a digest's subject and text together.
    /// </param>
    public string[] Render(IReadOnlyDictionary<string, object?> model, string situation, bool checkFolder, params string[] files)
    {
        var set = checkFolder ? InUse() : InUseAsChecked();
        while (true)
        {
            try
            {
                return Render(set, model, files);
            }
            catch (ScriptAbortException error)
            {
                // Out of time on real data: on a busy machine (other processes, a long GC pause) any render can be,
                // so one slow render must not take good templates out of use. Only this render fails; a digest run
                // defers that digest and retries it later. (Templates that loop for ever are stopped by the loop
                // limits, and a slow new set is caught by its proof before it is used.)
                var problem = TemplateProblem.From(error, situation, _options);
                _logger.LogWarning("A render ran out of time and was stopped; the templates stay in use: {Problem}", problem.ToString(_options.Directory));
                throw new TemplateException($"Not rendered: {problem.ToString(_options.Directory)}", [problem], error);
            }
            catch (ScriptRuntimeException error)
            {
                set = Reject(set, TemplateProblem.From(error, situation, _options));
            }
        }
    }

    /// <summary>A template writes HTML, and so escapes every value, when it is an HTML part or a site page.</summary>
    public static bool IsHtml(string file) => file.EndsWith(".html.sbn", StringComparison.Ordinal) || file.StartsWith("web/", StringComparison.Ordinal);

    internal string[] Render(TemplateSet set, IReadOnlyDictionary<string, object?> model, string[] files)
    {
        // One read-only model for all parts; each render writes its own variables into a fresh scope above it,
        // so nothing one template assigns leaks into the next.
        var data = TemplateModel.From(model);
        var rendered = new string[files.Length];
        var context = t_context is { } cached && cached.Renders(set, _options) ? cached : new SandboxedTemplateContext(set, _options);
        t_context = null;
        for (var i = 0; i < files.Length; i++)
        {
            using var timeout = new CancellationTokenSource(_options.RenderTimeout);
            context.Begin(IsHtml(files[i]), timeout.Token);
            context.PushGlobal(data);
            context.PushGlobal(new Scriban.Runtime.ScriptObject());
            try
            {
                rendered[i] = set.Parsed(files[i]).Render(context);
            }
            catch (Exception error) when (error is not ScriptRuntimeException and (InvalidOperationException or ArgumentException or FormatException or InsufficientExecutionStackException))
            {
                // A few failures inside Scriban (a structure nested too deeply to print, say) arrive without a position.
                throw new ScriptRuntimeException(context.CurrentSpan, error.Message);
            }
        }
        t_context = context;
        return rendered;
    }

    private TemplateSet Reject(TemplateSet failed, TemplateProblem problem)
    {
        lock (_lock)
        {
            if (ReferenceEquals(_inUse, failed))
            {
                metrics?.FailedOnRealData();
                _inUse = _previous;
                _previous = null;
                _problems = [problem];
            }
            _logger.LogError("Templates version {Failed} failed on real data and are no longer used, {Keeping}: {Problem}", failed.Version,
                _inUse is null ? "no good version to fall back on" : $"version {_inUse.Version} is used instead", problem.ToString(_options.Directory));
            return _inUse ?? throw new TemplateException(
                $"The templates in {_options.Directory} failed and there is no earlier good version, so nothing is rendered: {problem.ToString(_options.Directory)}", [problem]);
        }
    }

    private TemplateSet InUse()
    {
        Refresh();
        lock (_lock) return _inUse ?? throw Unusable();
    }

    /// <summary>The set in use as the folder was when last looked at; the folder is looked at only if it never was.</summary>
    private TemplateSet InUseAsChecked()
    {
        lock (_lock)
        {
            if (_inUse is not null) return _inUse;
            if (_fingerprint is not null) throw Unusable();
        }
        return InUse();
    }

    private TemplateException Unusable() => new(
        $"The templates in {_options.Directory} cannot be used, so nothing is rendered: {string.Join("; ", _problems.Select(p => p.ToString(_options.Directory)))}",
        _problems);

    private void Refresh()
    {
        EnsureDirectory();
        var fingerprint = TemplateFiles.Fingerprint(Directory);
        lock (_lock)
        {
            if (fingerprint == _fingerprint) return;
            var (loaded, problems) = Load();
            _fingerprint = fingerprint;
            _problems = problems;
            if (loaded is not null)
            {
                if (_inUse is not null && _inUse.Version != loaded.Version)
                {
                    _logger.LogInformation("Templates reloaded from {Directory} (version {Version})", _options.Directory, loaded.Version);
                    metrics?.Reloaded();
                }
                if (_inUse?.Version != loaded.Version) (_previous, _inUse) = (_inUse, loaded);
                return;
            }
            metrics?.EditRejected();
            foreach (var problem in problems)
            {
                _logger.LogError("Template edit rejected, {Keeping}: {Problem}",
                    _inUse is null ? "no good version to fall back on" : $"version {_inUse.Version} stays in use", problem.ToString(_options.Directory));
            }
        }
    }

    private (TemplateSet? Templates, IReadOnlyList<TemplateProblem> Problems) Load()
    {
        var (set, problems) = TemplateSet.Read(Directory);
        if (set is null) return (null, problems);
        var proof = TemplateProof.Run(this, set);
        return proof.Count == 0 ? (set, []) : (null, proof);
    }

    private void EnsureDirectory()
    {
        if (!System.IO.Directory.Exists(Directory))
            throw new TemplateException($"Templates:Directory \"{_options.Directory}\" does not exist (looked in {Directory}).");
    }
}
