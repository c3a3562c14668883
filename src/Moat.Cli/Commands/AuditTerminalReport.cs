using System.Globalization;
using Moat.Audit;
using Moat.Audit.Findings;
using Moat.Audit.Reporting;
using Spectre.Console;

namespace Moat.Cli.Commands;

/// <summary>
/// How <c>moat audit</c> shows its result: tables on a terminal, plain lines when the output goes
/// to a file or a pipe (where table borders and wrapping would break the evidence lines apart).
/// </summary>
internal static class AuditTerminalReport
{
    public static void WriteTables(IAnsiConsole console, AuditResult result)
    {
        var header = new Table().Border(TableBorder.Rounded).HideHeaders().Title("moat audit").AddColumn("line");
        foreach (var line in AuditHeader.Lines(result))
        {
            header.AddRow(new Text(line));
        }

        console.Write(header);
        WriteListeners(console, result);
        if (result.Findings.Count == 0)
        {
            console.Write(new Text("No findings.\n"));
        }
        else
        {
            foreach (var severity in Enum.GetValues<Severity>().Reverse())
            {
                var findings = result.Findings.Where(f => f.Severity == severity).ToArray();
                if (findings.Length == 0)
                {
                    continue;
                }

                var table = new Table()
                    .Border(TableBorder.Rounded)
                    .Title($"{severity.Name()} ({findings.Length})", new Style(Colour(severity)))
                    .AddColumn("Finding")
                    .AddColumn("Evidence")
                    .AddColumn("Fix");
                foreach (var finding in findings)
                {
                    table.AddRow(
                        new Rows(new Text(finding.Title, new Style(Colour(severity))), new Text(finding.Target, new Style(Color.Grey))),
                        new Text(string.Join("\n", finding.Evidence)),
                        new Text(finding.Fix));
                }

                console.Write(table);
            }
        }

        console.Write(new Text(SummaryLine(result) + "\n"));
        foreach (var note in result.Notes)
        {
            console.Write(new Text("note: " + note + "\n", new Style(Color.Yellow)));
        }
    }

    /// <summary>Plain lines: the header, then each finding with its evidence indented and the fix.</summary>
    public static void WritePlain(TextWriter output, AuditResult result)
    {
        foreach (var line in AuditHeader.Lines(result))
        {
            output.WriteLine(line);
        }

        output.WriteLine();
        foreach (var listener in result.Listeners)
        {
            output.WriteLine("listener " + ListenerLine(listener));
        }

        foreach (var finding in result.Findings)
        {
            output.WriteLine();
            output.WriteLine($"[{finding.Severity.Name()}] {finding.Id} {finding.Target}: {finding.Title}");
            foreach (var evidence in finding.Evidence)
            {
                output.WriteLine("    " + evidence);
            }

            output.WriteLine("  fix: " + finding.Fix);
        }

        output.WriteLine();
        output.WriteLine(SummaryLine(result));
        foreach (var note in result.Notes)
        {
            output.WriteLine("note: " + note);
        }
    }

    public static string SummaryLine(AuditResult result)
    {
        var counts = Enum.GetValues<Severity>().Reverse().Select(s => $"{result.Count(s)} {s.Name()}");
        var highest = result.HighestSeverity is { } h && h > Severity.Info ? h.Name() : "nothing above info";
        return $"Findings: {string.Join(", ", counts)}. Highest: {highest}.";
    }

    private static void WriteListeners(IAnsiConsole console, AuditResult result)
    {
        if (result.Listeners.Count == 0)
        {
            console.Write(new Text("No open ports found.\n"));
            return;
        }

        var table = new Table().Border(TableBorder.Rounded).Title("Listeners").AddColumn("Endpoint").AddColumn("In MX").AddColumn("Identified as").AddColumn("Greeting");
        foreach (var listener in result.Listeners)
        {
            var o = listener.Observation;
            table.AddRow(
                new Text(o.Endpoint + (o.Endpoint.HostName is { } host ? $" ({host})" : string.Empty)),
                new Text(InMx(listener.InMx)),
                new Text(o.SpeaksSmtp ? Product(listener) : "not SMTP"),
                new Text(string.Join("\n", o.Greeting)));
        }

        console.Write(table);
    }

    private static string ListenerLine(AuditedListener listener)
    {
        var o = listener.Observation;
        var host = o.Endpoint.HostName is { } name ? $" ({name})" : string.Empty;
        return $"{o.Endpoint}{host}: {(o.SpeaksSmtp ? Product(listener) : "not SMTP")}, in MX: {InMx(listener.InMx)}";
    }

    private static string Product(AuditedListener listener)
    {
        var fingerprint = listener.Observation.Fingerprint;
        var name = fingerprint.Version is null ? fingerprint.Product : $"{fingerprint.Product} {fingerprint.Version}";
        return $"{name} ({fingerprint.Confidence.ToString("0%", CultureInfo.InvariantCulture)})";
    }

    private static string InMx(bool? inMx) => inMx switch
    {
        true => "yes",
        false => "no",
        null => "unknown",
    };

    private static Color Colour(Severity severity) => severity switch
    {
        Severity.Critical => Color.Red,
        Severity.High => Color.OrangeRed1,
        Severity.Medium => Color.Yellow,
        Severity.Low => Color.DodgerBlue1,
        _ => Color.Grey,
    };
}
