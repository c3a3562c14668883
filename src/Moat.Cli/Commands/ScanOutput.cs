using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using Spectre.Console;

namespace Moat.Cli.Commands;

/// <summary>How <c>moat scan</c> shows its results: clamscan-like lines, tables on a terminal, or one JSON document.</summary>
internal static class ScanOutput
{
    /// <summary>clamscan's style: one line per finding, errors on stderr, then the summary.</summary>
    public static void WritePlain(TextWriter output, TextWriter error, IReadOnlyList<ScanFileResult> results, ScanSummary summary)
    {
        foreach (var result in results)
        {
            if (result.Verdict == ScanFileVerdict.Infected)
            {
                output.WriteLine($"{result.Path}: {string.Join(", ", result.Threats)} FOUND");
            }
            else if (result.Verdict == ScanFileVerdict.Error)
            {
                error.WriteLine($"{result.Path}: ERROR {string.Join("; ", result.Details)}");
            }
        }

        output.WriteLine();
        output.WriteLine("----------- SCAN SUMMARY -----------");
        foreach (var (name, value) in SummaryRows(summary))
        {
            output.WriteLine($"{name + ":",-15} {value}");
        }
    }

    /// <summary>On a terminal: a table of what was found (if anything) and a summary table.</summary>
    public static void WriteTables(IAnsiConsole console, IReadOnlyList<ScanFileResult> results, ScanSummary summary)
    {
        var findings = results.Where(r => r.Verdict != ScanFileVerdict.Clean).ToArray();
        if (findings.Length > 0)
        {
            var table = new Table().Border(TableBorder.Rounded).AddColumn("File").AddColumn("Verdict").AddColumn("Threats / reasons");
            foreach (var result in findings)
            {
                var infected = result.Verdict == ScanFileVerdict.Infected;
                table.AddRow(
                    new Text(result.Path),
                    new Text(infected ? "infected" : "error", new Style(infected ? Color.Red : Color.Yellow)),
                    new Text(string.Join("\n", infected ? result.Details : result.Details.Take(5))));
            }

            console.Write(table);
        }

        var summaryTable = new Table().Border(TableBorder.Rounded).Title("Scan summary").HideHeaders().AddColumn("name").AddColumn("value");
        foreach (var (name, value) in SummaryRows(summary))
        {
            summaryTable.AddRow(new Text(name), new Text(value));
        }

        console.Write(summaryTable);
    }

    /// <summary>One JSON document: every file with its verdict, threats and details, then the summary.</summary>
    public static void WriteJson(Stream output, IReadOnlyList<ScanFileResult> results, ScanSummary summary)
    {
        using var json = new Utf8JsonWriter(output, new JsonWriterOptions
        {
            Indented = true,

            // Object paths use "›" and file names may be in any script: keep them readable. The
            // output is a document for people and tools, never embedded in HTML.
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        });
        json.WriteStartObject();
        json.WriteStartArray("files");
        foreach (var result in results)
        {
            json.WriteStartObject();
            json.WriteString("path", result.Path);
            json.WriteString("verdict", VerdictName(result.Verdict));
            WriteStrings(json, "threats", result.Threats);
            WriteStrings(json, "detections", result.Verdict == ScanFileVerdict.Infected ? result.Details : []);
            WriteStrings(json, "errors", result.Verdict == ScanFileVerdict.Error ? result.Details : []);
            json.WriteNumber("bytes", result.Bytes);
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteStartObject("summary");
        WriteStrings(json, "engines", summary.Engines);
        json.WriteNumber("files", summary.Files);
        json.WriteNumber("infected", summary.Infected);
        json.WriteNumber("errors", summary.Errors);
        json.WriteNumber("bytes", summary.Bytes);
        json.WriteNumber("seconds", Math.Round(summary.Elapsed.TotalSeconds, 3));
        json.WriteBoolean("interrupted", summary.Interrupted);
        json.WriteNumber("exitCode", summary.ExitCode);
        json.WriteEndObject();
        json.WriteEndObject();
        json.Flush();
        output.Write("\n"u8);
    }

    public static string VerdictName(ScanFileVerdict verdict) => verdict switch
    {
        ScanFileVerdict.Infected => "infected",
        ScanFileVerdict.Error => "error",
        _ => "clean",
    };

    /// <summary>Bytes for people: "1.5 MiB".</summary>
    public static string FormatBytes(long bytes)
    {
        string[] units = ["B", "KiB", "MiB", "GiB", "TiB"];
        double value = bytes;
        var unit = 0;
        while (value >= 1024 && unit < units.Length - 1)
        {
            value /= 1024;
            unit++;
        }

        return unit == 0 ? $"{bytes} B" : value.ToString("0.0", CultureInfo.InvariantCulture) + " " + units[unit];
    }

    private static IEnumerable<(string Name, string Value)> SummaryRows(ScanSummary summary)
    {
        yield return ("Engines", string.Join(", ", summary.Engines));
        yield return ("Scanned files", summary.Files.ToString(CultureInfo.InvariantCulture));
        yield return ("Infected files", summary.Infected.ToString(CultureInfo.InvariantCulture));
        yield return ("Errors", summary.Errors.ToString(CultureInfo.InvariantCulture));
        yield return ("Data scanned", FormatBytes(summary.Bytes));
        yield return ("Time", summary.Elapsed.TotalSeconds.ToString("0.00", CultureInfo.InvariantCulture) + " s");
        if (summary.Interrupted)
        {
            yield return ("Interrupted", "yes: the scan was stopped before the end");
        }
    }

    private static void WriteStrings(Utf8JsonWriter json, string name, IEnumerable<string> values)
    {
        json.WriteStartArray(name);
        foreach (var value in values)
        {
            json.WriteStringValue(value);
        }

        json.WriteEndArray();
    }
}
