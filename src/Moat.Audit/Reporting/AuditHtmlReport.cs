using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using Moat.Audit.Findings;

namespace Moat.Audit.Reporting;

/// <summary>
/// The audit as one self-contained HTML page: styles inline, no scripts, fonts, images or links
/// to fetch, so it can be mailed or archived and opened anywhere. Every text that came from a
/// server or from DNS is HTML-encoded: a hostile banner must not become markup in the report.
/// </summary>
public static class AuditHtmlReport
{
    private const string Style = """
        body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;margin:2rem;color:#1c1c1c;max-width:80rem}
        h1{font-size:1.5rem;margin-bottom:.25rem}h2{font-size:1.2rem;margin-top:2rem;border-bottom:1px solid #ccc}
        table{border-collapse:collapse;width:100%;margin:.5rem 0}th,td{border:1px solid #ddd;padding:.35rem .5rem;text-align:left;vertical-align:top}
        th{background:#f4f4f4}pre{margin:0;white-space:pre-wrap;word-break:break-all;font-size:.85rem}
        .sev{font-weight:bold;text-transform:uppercase;font-size:.8rem;padding:.1rem .4rem;border-radius:.25rem;color:#fff}
        .critical{background:#8b0000}.high{background:#d9480f}.medium{background:#e6a700;color:#1c1c1c}.low{background:#1971c2}.info{background:#868e96}
        .scope{background:#f8f9fa;border-left:4px solid #1971c2;padding:.5rem 1rem}.muted{color:#666}
        """;

    public static async Task WriteAsync(string path, AuditResult result, CancellationToken cancellationToken)
    {
        await File.WriteAllTextAsync(path, Render(result), new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), cancellationToken).ConfigureAwait(false);
    }

    public static string Render(AuditResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
        html.Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
        html.Append("<title>moat audit: ").Append(E(result.Scope.ToString())).Append("</title>\n");
        html.Append("<style>").Append(Style).Append("</style>\n</head>\n<body>\n");
        html.Append("<h1>moat audit</h1>\n<div class=\"scope\">\n");
        foreach (var line in AuditHeader.Lines(result))
        {
            html.Append("<p>").Append(E(line)).Append("</p>\n");
        }

        html.Append("</div>\n");
        Summary(html, result);
        Findings(html, result);
        Listeners(html, result);
        Domains(html, result);
        if (result.Notes.Count > 0)
        {
            html.Append("<h2>Notes</h2>\n<ul>\n");
            foreach (var note in result.Notes)
            {
                html.Append("<li>").Append(E(note)).Append("</li>\n");
            }

            html.Append("</ul>\n");
        }

        html.Append("</body>\n</html>\n");
        return html.ToString();
    }

    private static void Summary(StringBuilder html, AuditResult result)
    {
        html.Append("<h2>Summary</h2>\n<table>\n<tr>");
        foreach (var severity in Enum.GetValues<Severity>().Reverse())
        {
            html.Append("<th><span class=\"sev ").Append(severity.Name()).Append("\">").Append(severity.Name()).Append("</span></th>");
        }

        html.Append("</tr>\n<tr>");
        foreach (var severity in Enum.GetValues<Severity>().Reverse())
        {
            html.Append("<td>").Append(result.Count(severity).ToString(CultureInfo.InvariantCulture)).Append("</td>");
        }

        html.Append("</tr>\n</table>\n");
    }

    private static void Findings(StringBuilder html, AuditResult result)
    {
        html.Append("<h2>Findings</h2>\n");
        if (result.Findings.Count == 0)
        {
            html.Append("<p class=\"muted\">No findings.</p>\n");
            return;
        }

        html.Append("<table>\n<tr><th>Severity</th><th>Finding</th><th>Target</th><th>Evidence</th><th>Fix</th></tr>\n");
        foreach (var finding in result.Findings)
        {
            html.Append("<tr><td><span class=\"sev ").Append(finding.Severity.Name()).Append("\">").Append(finding.Severity.Name()).Append("</span></td>");
            html.Append("<td>").Append(E(finding.Title)).Append("<br><span class=\"muted\">").Append(E(finding.Id)).Append("</span></td>");
            html.Append("<td>").Append(E(finding.Target)).Append("</td>");
            html.Append("<td><pre>").Append(E(string.Join("\n", finding.Evidence))).Append("</pre></td>");
            html.Append("<td>").Append(E(finding.Fix)).Append("</td></tr>\n");
        }

        html.Append("</table>\n");
    }

    private static void Listeners(StringBuilder html, AuditResult result)
    {
        html.Append("<h2>Listeners</h2>\n");
        if (result.Listeners.Count == 0)
        {
            html.Append("<p class=\"muted\">No open ports.</p>\n");
            return;
        }

        html.Append("<table>\n<tr><th>Endpoint</th><th>In MX</th><th>Identified as</th><th>Greeting</th><th>TLS</th><th>Relay probes accepted</th></tr>\n");
        foreach (var listener in result.Listeners)
        {
            var o = listener.Observation;
            var name = o.Fingerprint.Version is null ? o.Fingerprint.Product : o.Fingerprint.Product + " " + o.Fingerprint.Version;
            var tls = o.Tls switch
            {
                null => o.StartTlsOffered ? "offered" : "none",
                { Succeeded: true } t => t.Protocol ?? "yes",
                { } t => "failed: " + t.Error,
            };
            html.Append("<tr><td>").Append(E(o.Endpoint.ToString()));
            if (o.Endpoint.HostName is { } host)
            {
                html.Append("<br><span class=\"muted\">").Append(E(host)).Append("</span>");
            }

            html.Append("</td><td>").Append(listener.InMx switch { true => "yes", false => "no", null => "unknown" }).Append("</td>");
            html.Append("<td>").Append(o.SpeaksSmtp ? E(name) : "not SMTP").Append("</td>");
            html.Append("<td><pre>").Append(E(string.Join("\n", o.Greeting))).Append("</pre></td>");
            html.Append("<td>").Append(E(tls)).Append("</td>");
            html.Append("<td>").Append(o.RelayProbes.Count(p => p.Accepted).ToString(CultureInfo.InvariantCulture))
                .Append(" of ").Append(o.RelayProbes.Count.ToString(CultureInfo.InvariantCulture)).Append("</td></tr>\n");
        }

        html.Append("</table>\n");
    }

    private static void Domains(StringBuilder html, AuditResult result)
    {
        if (result.Domains.Count == 0)
        {
            return;
        }

        html.Append("<h2>Domains</h2>\n");
        foreach (var domain in result.Domains)
        {
            html.Append("<h3>").Append(E(domain.Domain)).Append("</h3>\n<pre>");
            html.Append(E(string.Join("\n", domain.Records.Count > 0 ? domain.Records : ["(no records)"])));
            html.Append("</pre>\n");
            foreach (var line in domain.Notes.Concat(domain.Failures.Select(f => f.Message)))
            {
                html.Append("<p class=\"muted\">").Append(E(line)).Append("</p>\n");
            }
        }
    }

    private static string E(string text) => HtmlEncoder.Default.Encode(text);
}
