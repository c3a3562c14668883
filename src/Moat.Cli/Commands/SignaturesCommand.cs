using System.CommandLine;
using System.Globalization;
using Moat.Scanning.Signatures;
using Moat.Scanning.Updates;

namespace Moat.Cli.Commands;

/// <summary>
/// <c>moat signatures update|rollback|status</c>: manage the signature databases in
/// &lt;dataDirectory&gt;/signatures. They work on the folder directly; a running server picks up
/// the change at its next reload.
/// </summary>
internal static class SignaturesCommand
{
    public const string FolderName = "signatures";

    public static Command Create()
    {
        var signatures = new Command("signatures", "Update, roll back and inspect the antivirus signature databases.");
        signatures.Subcommands.Add(CreateUpdate());
        signatures.Subcommands.Add(CreateRollback());
        signatures.Subcommands.Add(CreateStatus());
        return signatures;
    }

    private static Command CreateUpdate()
    {
        var config = CommonOptions.Config();
        var data = CommonOptions.Data();
        var source = new Option<string?>("--source", "-s")
        {
            Description = "Where to fetch from: an http(s) URL or a folder holding manifest.sha256 and the files it lists.",
        };
        var command = new Command("update", "Fetch, verify (SHA-256) and load new databases, keeping the current ones for rollback.") { source, config, data };
        command.SetAction(async (result, cancellationToken) =>
        {
            var folder = SignatureFolder(result, config, data);
            if (folder is null)
            {
                return ExitCodes.ConfigurationError;
            }

            var from = result.GetValue(source);
            if (string.IsNullOrWhiteSpace(from))
            {
                Console.Error.WriteLine("No source given: use --source https://mirror.example/moat/ or --source /path/to/folder (it must hold manifest.sha256).");
                return ExitCodes.ConfigurationError;
            }

            using var service = new SignatureUpdateService(new SignatureUpdateOptions { DatabaseDirectory = folder, Source = from });
            return Print(await service.UpdateAsync(cancellationToken));
        });
        return command;
    }

    private static Command CreateRollback()
    {
        var config = CommonOptions.Config();
        var data = CommonOptions.Data();
        var command = new Command("rollback", "Reinstate the databases the last update replaced (run again to undo).") { config, data };
        command.SetAction(async (result, cancellationToken) =>
        {
            var folder = SignatureFolder(result, config, data);
            if (folder is null)
            {
                return ExitCodes.ConfigurationError;
            }

            using var service = new SignatureUpdateService(new SignatureUpdateOptions { DatabaseDirectory = folder });
            return Print(await service.RollbackAsync(cancellationToken));
        });
        return command;
    }

    private static Command CreateStatus()
    {
        var config = CommonOptions.Config();
        var data = CommonOptions.Data();
        var command = new Command("status", "Show the installed databases, their signature counts and the last update attempt.") { config, data };
        command.SetAction(async (result, cancellationToken) =>
        {
            var folder = SignatureFolder(result, config, data);
            if (folder is null)
            {
                return ExitCodes.ConfigurationError;
            }

            using var service = new SignatureUpdateService(new SignatureUpdateOptions { DatabaseDirectory = folder });
            var status = service.Status;
            Console.WriteLine($"folder:       {folder}");
            Console.WriteLine($"files:        {(status.Files.Count == 0 ? "(none: built-in database only)" : string.Join(", ", status.Files))}");
            if (status.InstalledAt is { } installed)
            {
                Console.WriteLine($"installed:    {installed.UtcDateTime.ToString("u", CultureInfo.InvariantCulture)} ({FormatAge(status.Age!.Value)} ago)");
            }

            Console.WriteLine($"previous:     {(status.PreviousFiles.Count == 0 ? "(none)" : string.Join(", ", status.PreviousFiles))}");
            var exitCode = ExitCodes.Success;
            try
            {
                var set = await Task.Run(() => SignatureLoader.LoadDirectory(folder, includeBuiltIn: true, cancellationToken: cancellationToken), cancellationToken);
                var s = set.Statistics;
                Console.WriteLine($"signatures:   {s.TotalSignatures} (MD5 {s.Md5Hashes}, SHA-1 {s.Sha1Hashes}, SHA-256 {s.Sha256Hashes}, body {s.BodySignatures}, logical {s.LogicalSignatures}; built-in included)");
                Console.WriteLine($"patterns:     {s.BodyPatterns} body patterns, {s.SlowPatterns} without anchor; {s.Skipped} signatures skipped (unsupported features)");
                Console.WriteLine($"load time:    {s.LoadTime.TotalMilliseconds:F0} ms");
            }
            catch (SignatureLoadException ex)
            {
                Console.Error.WriteLine($"The installed databases do not load: {ex.Message}");
                exitCode = ExitCodes.Failure;
            }

            Console.WriteLine(status.LastAttempt is { } last
                ? $"last attempt: {last.At.UtcDateTime.ToString("u", CultureInfo.InvariantCulture)} {last}"
                : "last attempt: (none)");
            return exitCode;
        });
        return command;
    }

    /// <summary>&lt;dataDirectory&gt;/signatures from the loaded configuration, or null after printing what is wrong.</summary>
    private static string? SignatureFolder(ParseResult result, Option<string?> config, Option<string?> data)
    {
        var options = CommonOptions.Load(result, config, data);
        return options is null ? null : Path.GetFullPath(Path.Combine(options.DataDirectory, FolderName));
    }

    private static int Print(SignatureUpdateResult result)
    {
        (result.Succeeded ? Console.Out : Console.Error).WriteLine(result.ToString());
        return result.Succeeded ? ExitCodes.Success : ExitCodes.Failure;
    }

    private static string FormatAge(TimeSpan age) => age.TotalDays >= 1
        ? $"{(int)age.TotalDays}d{age.Hours}h"
        : age.TotalHours >= 1 ? $"{(int)age.TotalHours}h{age.Minutes}m" : $"{(int)age.TotalMinutes}m{age.Seconds}s";
}
