using System.Net;
using System.Text;
using PaperMailer.Domain;
using PaperMailer.Render;

namespace PaperMailer.Web;

/// <summary>The operator page's HTML: pick a subscriber and a date, see both parts; reloads when the templates change.</summary>
internal static class AdminPage
{
    /// <summary>The page's one script (allowed by its hash, <see cref="SecurityHeaders"/>): reload the frames when the templates change.</summary>
    public const string Script = """
        let version = document.getElementById('version').textContent;
        setInterval(async () => {
          const r = await fetch('/admin/version', { credentials: 'same-origin' });
          if (!r.ok) return;
          const state = await r.json();
          document.getElementById('problems').textContent = state.problems.length ? 'Last edit rejected, previous version in use:\n' + state.problems.join('\n') : '';
          if ((state.version ?? 'none') !== version) {
            version = state.version ?? 'none';
            document.getElementById('version').textContent = version;
            for (const id of ['html', 'mobile', 'text']) { const f = document.getElementById(id); f.src = f.src; }
          }
        }, 2000);
        """;

    public static string Render(IReadOnlyList<Subscriber> subscribers, string email, string date, TemplateLibrary templates)
    {
        // Only what was picked goes into the frames' address: an empty date is not a date, and asking for one answered
        // 400, leaving the page blank until a date was chosen. Without one the preview is for today.
        var query = string.Join('&', new[] { ("email", email), ("date", date) }
            .Where(p => p.Item2.Length > 0)
            .Select(p => $"{p.Item1}={Uri.EscapeDataString(p.Item2)}"));
        var options = new StringBuilder("<option value=\"\">Sample digest</option>");
        foreach (var s in subscribers.OrderBy(s => s.Email, StringComparer.OrdinalIgnoreCase))
        {
            options.Append($"<option value=\"{E(s.Email)}\"{(s.Email == email ? " selected" : "")}>{E(s.Email)} ({s.Status.ToString().ToLowerInvariant()})</option>");
        }
        var problems = templates.Problems;
        return $$"""
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><title>PaperMailer · digest preview</title>
            <style>body{font-family:Helvetica,Arial,sans-serif;margin:0;background:#f4f4f5;color:#18181b}header{padding:12px 20px;background:#fff;border-bottom:1px solid #e4e4e7}
            form{display:flex;gap:10px;align-items:center;flex-wrap:wrap}main{display:flex;gap:20px;padding:20px;flex-wrap:wrap}iframe{border:1px solid #d4d4d8;background:#fff}
            #problems{color:#b91c1c;white-space:pre-wrap;margin:8px 0 0 0}small{color:#71717a}</style></head>
            <body><header><form method="get" action="/admin">
            <strong>Digest preview</strong>
            <select name="email">{{options}}</select>
            <input type="date" name="date" value="{{E(date)}}">
            <button type="submit">Show</button>
            <small>templates version <span id="version">{{E(templates.Version ?? "none")}}</span>; re-renders when a template changes</small>
            <a href="/admin/status">Service status</a>
            </form><pre id="problems">{{E(string.Join("\n", problems.Select(p => p.ToString())))}}</pre></header>
            <main>
            <iframe id="html" title="HTML part, 600px" src="/admin/digest?{{E(query)}}" width="640" height="1400"></iframe>
            <iframe id="mobile" title="HTML part, 375px" src="/admin/digest?{{E(query)}}" width="375" height="1400"></iframe>
            <iframe id="text" title="Text part" src="/admin/digest?{{E(query.Length == 0 ? "part=text" : query + "&part=text")}}" width="620" height="1400"></iframe>
            </main>
            <script>{{Script}}</script></body></html>
            """;
    }

    private static string E(string text) => WebUtility.HtmlEncode(text);
}
