using System.CommandLine;
using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using Moat.Storage;
using Moat.Storage.AccessLog;
using Moat.Storage.Sqlite;
using Spectre.Console;

namespace Moat.Cli.Commands;

/// <summary>
/// <c>moat audit-log verify|list</c>: the access log in &lt;dataDirectory&gt;/moat.db, which
/// records who viewed, released or exported mail and who changed the configuration, accounts,
/// roles and trust lists, each entry chained by hash to the one before.
/// </summary>
internal static class AuditLogCommand
{
    private static readonly string[] Header = ["#", "TIME (UTC)", "ACTOR", "ACTION", "MESSAGE", "WHOSE", "REASON", "DETAIL"];

    public static Command Create()
    {
        var auditLog = new Command("audit-log", "Check and read the access log: who looked at whose mail, and who changed what.");
        auditLog.Subcommands.Add(CreateVerify());
        auditLog.Subcommands.Add(CreateList());
        return auditLog;
    }

    private static Command CreateVerify()
    {
        var config = CommonOptions.Config();
        var data = CommonOptions.Data();
        var command = new Command(
            "verify",
            $"Recompute the hash chain of the access log. Exit 0 when intact, {ExitCodes.AccessLogBroken} when an entry was changed or deleted.")
        {
            config, data,
        };
        command.SetAction(async (result, cancellationToken) =>
            await CommonOptions.WithStorageAsync(result, config, data, async storage =>
            {
                var verification = await storage.AccessLog.VerifyAsync(cancellationToken);
                if (verification.Intact)
                {
                    Console.WriteLine($"Access log intact: {Entries(verification.EntriesChecked)}, head {verification.HeadHash}");
                    return ExitCodes.Success;
                }

                if (verification.FirstBrokenSequence is { } broken)
                {
                    Console.WriteLine($"Access log BROKEN at entry #{broken}: {WithoutEntryPrefix(verification.Problem, broken)}");
                    Console.WriteLine(
                        $"Restore {storage.DatabasePath} from a backup taken before the change, and keep this copy as evidence. "
                        + $"The entries before #{broken} are trustworthy; from #{broken} on, the log cannot be trusted.");
                }
                else
                {
                    Console.WriteLine($"Access log BROKEN: {verification.Problem}");
                    Console.WriteLine($"Restore {storage.DatabasePath} from a backup, and keep this copy as evidence.");
                }

                return ExitCodes.AccessLogBroken;
            }));
        return command;
    }

    private static Command CreateList()
    {
        var config = CommonOptions.Config();
        var data = CommonOptions.Data();
        var subject = new Option<string?>("--subject") { Description = "Only entries about this person's mail or data (an address)." };
        var actor = new Option<string?>("--actor") { Description = "Only entries by this actor (an account, cli:USER or system)." };
        var message = new Option<string?>("--message") { Description = "Only entries about this message (queue id)." };
        var before = new Option<long?>("--before") { Description = "Only entries older than this sequence number (the next page)." };
        var limit = new Option<int>("--limit", "-n")
        {
            Description = "At most this many entries, newest first.",
            DefaultValueFactory = _ => 100,
        };
        var json = new Option<bool>("--json") { Description = "One JSON object per line, with the hashes." };
        var command = new Command("list", "List access-log entries, newest first: sequence, time, actor, action, message, whose data, reason, detail.")
        {
            subject, actor, message, before, limit, json, config, data,
        };
        command.SetAction(async (result, cancellationToken) =>
        {
            if (result.GetValue(limit) < 1)
            {
                Console.Error.WriteLine("--limit must be at least 1.");
                return ExitCodes.ConfigurationError;
            }

            var query = new AccessLogQuery(result.GetValue(subject), result.GetValue(actor), result.GetValue(message), result.GetValue(limit), result.GetValue(before));
            return await CommonOptions.WithStorageAsync(result, config, data, async storage =>
            {
                var entries = await storage.AccessLog.ListAsync(query, cancellationToken);
                if (result.GetValue(json))
                {
                    await using var output = Console.OpenStandardOutput();
                    WriteJsonLines(output, entries);
                }
                else if (entries.Count == 0)
                {
                    Console.WriteLine("No access-log entries match.");
                }
                else if (!Console.IsOutputRedirected)
                {
                    WriteTable(AnsiConsole.Console, entries);
                }
                else
                {
                    WritePlain(entries);
                }

                return ExitCodes.Success;
            });
        });
        return command;
    }


    /// <summary>"entry #7: contents …" → "contents …", "entry #8 missing" → "missing": the line already names the entry.</summary>
    private static string? WithoutEntryPrefix(string? problem, long sequence)
    {
        var prefix = $"entry #{sequence}";
        if (problem is null || !problem.StartsWith(prefix, StringComparison.Ordinal) || problem.Length == prefix.Length)
        {
            return problem;
        }

        var rest = problem[prefix.Length..];
        return rest.StartsWith(": ", StringComparison.Ordinal) ? rest[2..]
            : rest.StartsWith(' ') ? rest[1..]
            : problem;
    }

    private static string Entries(long count) => count == 1 ? "1 entry" : $"{count.ToString(CultureInfo.InvariantCulture)} entries";

    private static void WriteTable(IAnsiConsole console, IReadOnlyList<AccessLogEntry> entries)
    {
        var table = new Table().Border(TableBorder.Rounded);

        // The sequence stays whole; everything else wraps on a narrow terminal.
        table.AddColumn(new TableColumn(Header[0]).NoWrap());
        foreach (var header in Header.Skip(1))
        {
            table.AddColumn(header);
        }

        foreach (var row in entries.Select(Row))
        {
            table.AddRow(row.Select(cell => new Text(cell)).ToArray());
        }

        console.Write(table);
        console.Write(new Text(Entries(entries.Count) + ".\n"));
    }

    /// <summary>Aligned columns without borders, for pipes and files (a table would wrap and break lines apart).</summary>
    private static void WritePlain(IReadOnlyList<AccessLogEntry> entries)
    {
        var rows = entries.Select(Row).Prepend(Header).ToList();
        var widths = Enumerable.Range(0, Header.Length).Select(i => rows.Max(r => r[i].Length)).ToArray();
        foreach (var row in rows)
        {
            Console.WriteLine(string.Join("  ", row.Select((cell, i) => i == row.Length - 1 ? cell : cell.PadRight(widths[i]))).TrimEnd());
        }

        Console.WriteLine(Entries(entries.Count) + ".");
    }

    private static string[] Row(AccessLogEntry entry) =>
    [
        entry.Sequence.ToString(CultureInfo.InvariantCulture),
        entry.At.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture),
        entry.Actor,
        entry.Action,
        entry.MessageId ?? "-",
        entry.DataSubjects.Count == 0 ? "-" : string.Join(", ", entry.DataSubjects),
        OneLine(entry.Reason),
        OneLine(entry.Detail),
    ];

    private static string OneLine(string? text) =>
        string.IsNullOrEmpty(text) ? "-" : text.ReplaceLineEndings(" ");

    private static void WriteJsonLines(Stream output, IReadOnlyList<AccessLogEntry> entries)
    {
        // Addresses and reasons may be in any script: keep them readable. The lines are for
        // people and tools, never embedded in HTML.
        var options = new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
        foreach (var entry in entries)
        {
            using (var json = new Utf8JsonWriter(output, options))
            {
                json.WriteStartObject();
                json.WriteNumber("sequence", entry.Sequence);
                json.WriteString("at", entry.At.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture));
                json.WriteString("actor", entry.Actor);
                json.WriteString("action", entry.Action);
                json.WriteString("messageId", entry.MessageId);
                json.WriteStartArray("dataSubjects");
                foreach (var subject in entry.DataSubjects)
                {
                    json.WriteStringValue(subject);
                }

                json.WriteEndArray();
                json.WriteString("reason", entry.Reason);
                json.WriteString("detail", entry.Detail);
                json.WriteString("previousHash", entry.PreviousHash);
                json.WriteString("hash", entry.Hash);
                json.WriteEndObject();
            }

            output.Write("\n"u8);
        }
    }
}
