using System.CommandLine;
using System.Globalization;
using System.Text;
using Moat.Storage;
using Moat.Storage.AccessLog;
using Moat.Storage.Sqlite;
using Moat.Storage.Trust;
using Moat.Trust.Contacts;

namespace Moat.Cli.Commands;

/// <summary>
/// <c>moat trust list|add|remove|import|export</c>: the allow-lists in
/// &lt;dataDirectory&gt;/moat.db. The database is shared with a running <c>moat serve</c>, which
/// notices every change at its next lookup, so no restart is needed.
/// </summary>
internal static class TrustCommand
{
    private const string PatternHelp = "Give an address (bob@example.com) or a domain (example.com, which also covers its subdomains).";

    public static Command Create()
    {
        var trust = new Command("trust", "Manage the allow-lists: each user's and the organisation's.");
        trust.Subcommands.Add(CreateList());
        trust.Subcommands.Add(CreateAdd());
        trust.Subcommands.Add(CreateRemove());
        trust.Subcommands.Add(CreateImport());
        trust.Subcommands.Add(CreateExport());
        return trust;
    }

    private static Command CreateList()
    {
        var config = CommonOptions.Config();
        var data = CommonOptions.Data();
        var owners = new TrustOwnerOptions();
        var command = new Command("list", "List entries: owner, pattern, source, added, expires (every list unless --user or --organisation).") { config, data };
        owners.AddTo(command);
        command.SetAction(async (result, cancellationToken) =>
        {
            if (!owners.TryResolve(result, required: false, out var owner))
            {
                return ExitCodes.ConfigurationError;
            }

            return await CommonOptions.WithStorageAsync(result, config, data, async storage =>
            {
                var entries = await storage.Trust.ListAsync(owner, cancellationToken);
                if (entries.Count == 0)
                {
                    Console.WriteLine(owner is null
                        ? $"No entries on any list ({storage.DatabasePath})."
                        : $"No entries on {TrustOwnerOptions.Describe(owner)}.");
                    return ExitCodes.Success;
                }

                PrintTable(entries, DateTimeOffset.UtcNow);
                return ExitCodes.Success;
            });
        });
        return command;
    }

    private static Command CreateAdd()
    {
        var config = CommonOptions.Config();
        var data = CommonOptions.Data();
        var owners = new TrustOwnerOptions();
        var pattern = new Argument<string>("address-or-domain") { Description = "An address (bob@example.com) or a domain (example.com, also covering its subdomains)." };
        var expiresOption = new Option<string?>("--expires")
        {
            Description = "Remove the entry after a while: 12h, 30d, 2w, or a date such as 2027-01-31 (until the end of that day, UTC). Without it the entry stays.",
        };
        var command = new Command("add", "Trust an address or a domain (source: manual). Adding an existing entry replaces it.") { pattern, expiresOption, config, data };
        owners.AddTo(command);
        command.SetAction(async (result, cancellationToken) =>
        {
            if (!TryPattern(result.GetValue(pattern), out var canonical) || !owners.TryResolve(result, required: true, out var owner))
            {
                return ExitCodes.ConfigurationError;
            }

            var now = DateTimeOffset.UtcNow;
            DateTimeOffset? expires = null;
            if (result.GetValue(expiresOption) is { } expiresText)
            {
                if (!TrustExpiry.TryParse(expiresText, now, out expires, out var problem))
                {
                    Console.Error.WriteLine(problem);
                    return ExitCodes.ConfigurationError;
                }
            }

            return await CommonOptions.WithStorageAsync(result, config, data, async storage =>
            {
                var existed = (await storage.Trust.ListAsync(owner, cancellationToken)).Any(e => e.Pattern == canonical);
                await storage.Trust.AddAsync(new TrustEntry(owner!, canonical, TrustSource.Manual, now, expires), cancellationToken);
                var until = expires is { } at ? $"until {FormatTime(at)} UTC" : "no expiry";
                await CliAccessLog.RecordAsync(storage, AccessActions.TrustChange, Subjects([owner!]), $"{(existed ? "updated" : "added")} {canonical} on {TrustOwnerOptions.Describe(owner!)} ({until})", cancellationToken);
                Console.WriteLine($"{(existed ? "Updated" : "Added")} {canonical} {(existed ? "on" : "to")} {TrustOwnerOptions.Describe(owner!)} (manual, {until}).");
                return ExitCodes.Success;
            });
        });
        return command;
    }

    private static Command CreateRemove()
    {
        var config = CommonOptions.Config();
        var data = CommonOptions.Data();
        var owners = new TrustOwnerOptions();
        var pattern = new Argument<string>("address-or-domain") { Description = "The entry's address or domain, as `moat trust list` shows it." };
        var command = new Command("remove", "Remove an entry from a list.") { pattern, config, data };
        owners.AddTo(command);
        command.SetAction(async (result, cancellationToken) =>
        {
            if (!TryPattern(result.GetValue(pattern), out var canonical) || !owners.TryResolve(result, required: true, out var owner))
            {
                return ExitCodes.ConfigurationError;
            }

            return await CommonOptions.WithStorageAsync(result, config, data, async storage =>
            {
                if (!await storage.Trust.RemoveAsync(owner!, canonical, cancellationToken))
                {
                    var listCommand = owner == TrustEntry.Organisation ? "moat trust list --organisation" : $"moat trust list --user {owner}";
                    Console.Error.WriteLine($"There is no entry {canonical} on {TrustOwnerOptions.Describe(owner!)}; `{listCommand}` shows the entries it has.");
                    return ExitCodes.Failure;
                }

                await CliAccessLog.RecordAsync(storage, AccessActions.TrustChange, Subjects([owner!]), $"removed {canonical} from {TrustOwnerOptions.Describe(owner!)}", cancellationToken);
                Console.WriteLine($"Removed {canonical} from {TrustOwnerOptions.Describe(owner!)}.");
                return ExitCodes.Success;
            });
        });
        return command;
    }

    private static Command CreateImport()
    {
        var config = CommonOptions.Config();
        var data = CommonOptions.Data();
        var owners = new TrustOwnerOptions();
        var file = new Argument<string>("file") { Description = "Contacts exported as CSV (Google, Outlook, a plain list) or vCard (.vcf), or a file from `moat trust export`." };
        var format = new Option<string>("--format")
        {
            Description = "The file's format: auto (from its content and name), csv or vcard.",
            DefaultValueFactory = _ => "auto",
        };
        format.AcceptOnlyFromAmong("auto", "csv", "vcard");
        var command = new Command(
            "import",
            "Trust every address in a contacts file (source: contact). A file from `moat trust export` keeps its owners, sources and times unless --user or --organisation is given.")
        {
            file, format, config, data,
        };
        owners.AddTo(command);
        command.SetAction(async (result, cancellationToken) =>
        {
            if (!owners.TryResolve(result, required: false, out var owner))
            {
                return ExitCodes.ConfigurationError;
            }

            var path = result.GetValue(file)!;
            if (!File.Exists(path))
            {
                Console.Error.WriteLine($"The file {Path.GetFullPath(path)} does not exist.");
                return ExitCodes.ConfigurationError;
            }

            ContactsReadResult contacts;
            try
            {
                contacts = await ContactsReader.ReadFileAsync(path, ParseFormat(result.GetValue(format)), cancellationToken);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                Console.Error.WriteLine($"Cannot read {Path.GetFullPath(path)}: {ex.Message}");
                return ExitCodes.Failure;
            }

            if (owner is null && !contacts.IsTrustListExport)
            {
                Console.Error.WriteLine("Say whose list the contacts go on: --user alice@example.org for one user's list, or --organisation for the list that applies to everyone.");
                return ExitCodes.ConfigurationError;
            }

            var now = DateTimeOffset.UtcNow;
            var entries = contacts.Entries
                .Select(c => new TrustEntry(owner ?? c.Owner!, c.Pattern, c.Source ?? TrustSource.Contact, c.Added ?? now, c.Expires))
                .DistinctBy(e => (e.Owner, e.Pattern))
                .ToList();

            return await CommonOptions.WithStorageAsync(result, config, data, async storage =>
            {
                await storage.Trust.AddRangeAsync(entries, cancellationToken);
                if (entries.Count > 0)
                {
                    var target = owner is null ? "the owners' lists the file names" : TrustOwnerOptions.Describe(owner);
                    await CliAccessLog.RecordAsync(storage, AccessActions.TrustChange, Subjects(entries.Select(e => e.Owner)), $"imported {entries.Count} entr{(entries.Count == 1 ? "y" : "ies")} from {Path.GetFullPath(path)} to {target}", cancellationToken);
                }

                Console.WriteLine($"imported {entries.Count}, skipped {contacts.Invalid} invalid");
                if (entries.Count == 0 && contacts.Invalid == 0)
                {
                    Console.Error.WriteLine(
                        $"Found no e-mail addresses in {Path.GetFullPath(path)} (read as {(contacts.Format == ContactsFormat.VCard ? "vCard" : "CSV")}). "
                        + "A CSV file needs a column named like \"E-mail Address\", \"E-mail 1 - Value\" or \"Email\", or one address per line; a vCard needs EMAIL lines. --format csv|vcard overrides the guess.");
                    return ExitCodes.Failure;
                }

                return ExitCodes.Success;
            });
        });
        return command;
    }

    private static Command CreateExport()
    {
        var config = CommonOptions.Config();
        var data = CommonOptions.Data();
        var owners = new TrustOwnerOptions();
        var output = new Option<string?>("--output", "-o") { Description = "Write to this file instead of standard output." };
        var command = new Command(
            "export",
            $"Write entries as CSV ({TrustListCsv.Header}; times in UTC), every list unless --user or --organisation. `moat trust import` reads it back.")
        {
            output, config, data,
        };
        owners.AddTo(command);
        command.SetAction(async (result, cancellationToken) =>
        {
            if (!owners.TryResolve(result, required: false, out var owner))
            {
                return ExitCodes.ConfigurationError;
            }

            return await CommonOptions.WithStorageAsync(result, config, data, async storage =>
            {
                var entries = await storage.Trust.ListAsync(owner, cancellationToken);

                // Recorded before the lists leave Moat: an export that cannot be logged does not happen.
                var destination = result.GetValue(output) is { } file ? Path.GetFullPath(file) : "standard output";
                await CliAccessLog.RecordAsync(
                    storage,
                    AccessActions.Export,
                    Subjects(owner is null ? entries.Select(e => e.Owner) : [owner]),
                    $"exported {entries.Count} entr{(entries.Count == 1 ? "y" : "ies")} of {(owner is null ? "every list" : TrustOwnerOptions.Describe(owner))} to {destination}",
                    cancellationToken);
                if (result.GetValue(output) is not { } path)
                {
                    TrustListCsv.Write(Console.Out, entries);
                    return ExitCodes.Success;
                }

                try
                {
                    await using (var writer = new StreamWriter(path, append: false, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false)))
                    {
                        TrustListCsv.Write(writer, entries);
                    }
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                    Console.Error.WriteLine($"Cannot write {Path.GetFullPath(path)}: {ex.Message}");
                    return ExitCodes.Failure;
                }

                Console.WriteLine($"Exported {entries.Count} entr{(entries.Count == 1 ? "y" : "ies")} to {Path.GetFullPath(path)}.");
                return ExitCodes.Success;
            });
        });
        return command;
    }


    /// <summary>Whose lists: the users among the owners (the organisation's list is nobody's personal data).</summary>
    private static IEnumerable<string> Subjects(IEnumerable<string> owners) =>
        owners.Where(o => o != TrustEntry.Organisation).Distinct(StringComparer.Ordinal);

    private static bool TryPattern(string? value, out string canonical)
    {
        if (TrustNames.TryNormalisePattern(value, out var normalised, out var problem))
        {
            canonical = normalised;
            return true;
        }

        canonical = string.Empty;
        Console.Error.WriteLine($"{problem} {PatternHelp}");
        return false;
    }

    private static ContactsFormat ParseFormat(string? value) => value switch
    {
        "csv" => ContactsFormat.Csv,
        "vcard" => ContactsFormat.VCard,
        _ => ContactsFormat.Auto,
    };

    private static void PrintTable(IReadOnlyList<TrustEntry> entries, DateTimeOffset now)
    {
        var rows = entries
            .Select(e => new[]
            {
                e.Owner,
                e.Pattern,
                TrustListCsv.FormatSource(e.Source),
                FormatTime(e.Added),
                e.Expires is { } expires ? FormatTime(expires) + (e.IsExpiredAt(now) ? " (expired)" : string.Empty) : "-",
            })
            .ToList();
        string[] header = ["OWNER", "PATTERN", "SOURCE", "ADDED (UTC)", "EXPIRES (UTC)"];
        var widths = Enumerable.Range(0, header.Length).Select(i => rows.Select(r => r[i].Length).Append(header[i].Length).Max()).ToArray();
        foreach (var row in rows.Prepend(header))
        {
            Console.WriteLine(string.Join("  ", row.Select((cell, i) => i == row.Length - 1 ? cell : cell.PadRight(widths[i]))));
        }

        Console.WriteLine($"{entries.Count} entr{(entries.Count == 1 ? "y" : "ies")}.");
    }

    private static string FormatTime(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);
}
