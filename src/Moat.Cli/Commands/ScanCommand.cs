using System.CommandLine;
using System.Diagnostics;
using Moat.Scanning.Clamd;
using Moat.Scanning.Engines;
using Moat.Scanning.Heuristics;
using Moat.Scanning.Scanning;
using Moat.Scanning.Signatures;
using Spectre.Console;

namespace Moat.Cli.Commands;

/// <summary>
/// <c>moat scan PATH…</c>: scans files and folders (mail files as mail) with the signature
/// engine, the heuristics and any clamd, like clamscan. Exit codes are clamscan's: 0 nothing
/// found, 1 something found, 2 errors.
/// </summary>
internal static class ScanCommand
{
    private const int Errors = 2;

    /// <summary>A whole file goes through an engine in one go; big files on slow disks take a while.</summary>
    private static readonly TimeSpan EngineTimeout = TimeSpan.FromMinutes(10);

    /// <summary>Half the engine timeout: a hung clamd leaves time to try the next one.</summary>
    private static readonly TimeSpan ClamdTimeout = TimeSpan.FromMinutes(5);

    public static Command Create()
    {
        var paths = new Argument<string[]>("path")
        {
            Description = "Files or folders to scan (folders recursively; .eml files and Maildir folders are read as mail, mbox files are recognised).",
            Arity = ArgumentArity.ZeroOrMore,
        };
        var system = new Option<bool>("--system")
        {
            Description = "Scan the whole filesystem from / (skipping /proc, /sys, /dev and /run). Only root may do this.",
        };
        var json = new Option<bool>("--json")
        {
            Description = "Print one JSON document: every file with its verdict (clean, infected, error) and threats, and a summary.",
        };
        var databases = new Option<string[]>("--db")
        {
            Description = "A signature file (.hdb, .hsb, .ndb, .ldb) or a folder of them, added to the built-in database. Repeatable.",
        };
        var clamdHosts = new Option<string[]>("--clamd")
        {
            Description = "Also scan with the clamd at HOST:PORT. Repeatable: the next host is used when one fails.",
        };
        var clamdSockets = new Option<string[]>("--clamd-socket")
        {
            Description = "Also scan with the clamd on this Unix socket. Repeatable.",
        };
        var heuristics = new Option<bool>("--heuristics")
        {
            Description = "Judge mail attachments with the heuristics engine: executables, blocked types, macros, HTML smuggling (mail files only; on by default, --heuristics false turns it off).",
            DefaultValueFactory = _ => true,
        };

        var command = new Command("scan", "Scan files and folders for malware, like clamscan.")
        {
            paths, system, json, databases, clamdHosts, clamdSockets, heuristics,
        };
        command.SetAction(async (result, cancellationToken) =>
        {
            var targets = result.GetValue(paths) ?? [];
            var wholeSystem = result.GetValue(system);
            if (targets.Length == 0 && !wholeSystem)
            {
                Console.Error.WriteLine("Name the files or folders to scan, or use --system for the whole filesystem.");
                return Errors;
            }

            if (wholeSystem && !Environment.IsPrivilegedProcess)
            {
                Console.Error.WriteLine("moat scan --system reads every file on the machine, so only root may run it: sudo moat scan --system");
                return Errors;
            }

            var clamd = new List<ClamdEndpoint>();
            try
            {
                clamd.AddRange((result.GetValue(clamdHosts) ?? []).Select(ClamdEndpoint.Parse));
            }
            catch (FormatException ex)
            {
                Console.Error.WriteLine("--clamd: " + ex.Message);
                return Errors;
            }

            clamd.AddRange((result.GetValue(clamdSockets) ?? []).Select(ClamdEndpoint.Unix));
            var engines = await CreateEnginesAsync(result.GetValue(databases) ?? [], clamd, result.GetValue(heuristics), cancellationToken);
            if (engines is not { } chosen)
            {
                return Errors;
            }

            return await RunAsync(chosen.Files, chosen.Mail, targets, wholeSystem, result.GetValue(json), cancellationToken);
        });
        return command;
    }

    /// <summary>
    /// The engines the options ask for, or null after printing why they cannot be made. The
    /// heuristics judge mail attachments (executables, blocked types, macros, HTML smuggling), so
    /// they run on mail files only: on a disk every program is an executable.
    /// </summary>
    private static async Task<(IReadOnlyList<IScanEngine> Files, IReadOnlyList<IScanEngine> Mail)?> CreateEnginesAsync(
        string[] databases, IReadOnlyList<ClamdEndpoint> clamd, bool heuristics, CancellationToken cancellationToken)
    {
        var engines = new List<IScanEngine>();
        try
        {
            engines.Add(new SignatureEngine(LoadSignatures(databases)));
        }
        catch (Exception ex) when (ex is SignatureLoadException or IOException or UnauthorizedAccessException or ArgumentException)
        {
            Console.Error.WriteLine("--db: " + ex.Message);
            return null;
        }

        if (clamd.Count > 0)
        {
            var engine = new ClamdEngine(new ClamdOptions { Endpoints = clamd, ScanTimeout = ClamdTimeout });

            // Fail at once, as clamdscan does, rather than report every file as an error.
            var statuses = await engine.CheckHostsAsync(cancellationToken);
            if (!statuses.Any(status => status.Healthy))
            {
                Console.Error.WriteLine("No clamd answers:");
                foreach (var status in statuses)
                {
                    Console.Error.WriteLine($"  {status.Problem}");
                }

                return null;
            }

            engines.Add(engine);
        }

        IReadOnlyList<IScanEngine> mail = heuristics ? [.. engines, new HeuristicsEngine()] : engines;
        return (engines, mail);
    }

    /// <summary>The built-in database alone, or with the signature files given (folders contribute every database file in them).</summary>
    private static SignatureSet? LoadSignatures(string[] databases)
    {
        if (databases.Length == 0)
        {
            return null;
        }

        var files = new List<string>();
        foreach (var path in databases)
        {
            if (Directory.Exists(path))
            {
                var found = Directory.EnumerateFiles(path).Where(SignatureLoader.IsDatabaseFile).Order(StringComparer.Ordinal).ToArray();
                files.AddRange(found.Length > 0 ? found : throw new IOException($"{path} holds no signature files (.hdb, .hsb, .ndb, .ldb)."));
            }
            else
            {
                files.Add(File.Exists(path) ? path : throw new IOException($"{path}: no such file or folder."));
            }
        }

        return SignatureLoader.LoadFiles(files, includeBuiltIn: true);
    }

    private static async Task<int> RunAsync(
        IReadOnlyList<IScanEngine> fileEngines, IReadOnlyList<IScanEngine> mailEngines, string[] targets, bool wholeSystem, bool json, CancellationToken cancellationToken)
    {
        var interactive = !json && !Console.IsOutputRedirected;
        var started = Stopwatch.GetTimestamp();
        var finder = new ScanInputFinder();
        void Find()
        {
            foreach (var target in targets)
            {
                finder.Add(target);
            }

            if (wholeSystem)
            {
                finder.AddSystem();
            }
        }

        if (interactive)
        {
            await AnsiConsole.Status().StartAsync("Finding files…", _ => Task.Run(Find, cancellationToken));
        }
        else
        {
            await Task.Run(Find, cancellationToken);
        }

        var activeScans = new ActiveScans();
        var policy = new ScanPolicy { EngineTimeout = EngineTimeout };
        var fileScanner = new MultiEngineScanner(fileEngines, policy, activeScans: activeScans);
        var mailScanner = new MultiEngineScanner(mailEngines, policy, activeScans: activeScans);
        var runner = new ScanRunner(fileScanner, mailScanner, Environment.ProcessorCount);
        var progress = new ScanProgress(finder.Inputs.Count, finder.TotalBytes, activeScans);
        var run = runner.RunAsync(finder.Inputs, progress, cancellationToken);
        if (interactive)
        {
            await ShowProgressAsync(run, progress);
        }

        var (results, interrupted) = await run;
        var all = finder.Problems.Concat(results).OrderBy(r => r.Path, StringComparer.Ordinal).ToArray();
        var summary = ScanSummary.Of(mailEngines.Select(e => e.Name).ToArray(), all, Stopwatch.GetElapsedTime(started), interrupted);
        if (json)
        {
            await using var output = Console.OpenStandardOutput();
            ScanOutput.WriteJson(output, all, summary);
        }
        else if (interactive)
        {
            ScanOutput.WriteTables(AnsiConsole.Console, all, summary);
        }
        else
        {
            ScanOutput.WritePlain(Console.Out, Console.Error, all, summary);
        }

        return summary.ExitCode;
    }

    /// <summary>A live bar on the terminal: files, bytes, rate and time left, refreshed until the scan ends.</summary>
    private static async Task ShowProgressAsync(Task scan, ScanProgress progress)
    {
        await AnsiConsole.Progress()
            .AutoClear(false)
            .Columns(
                new TaskDescriptionColumn(),
                new ProgressBarColumn(),
                new PercentageColumn(),
                new DownloadedColumn(),
                new TransferSpeedColumn(),
                new RemainingTimeColumn(),
                new SpinnerColumn())
            .StartAsync(async context =>
            {
                var task = context.AddTask(Describe(progress), maxValue: Math.Max(1, progress.TotalBytes));
                while (!scan.IsCompleted)
                {
                    await Task.WhenAny(scan, Task.Delay(TimeSpan.FromMilliseconds(200)));
                    task.Value = progress.BytesDone;
                    task.Description = Describe(progress);
                }

                task.Value = task.MaxValue;
                task.Description = Describe(progress);
            });
    }

    private static string Describe(ScanProgress progress)
    {
        var text = $"files {progress.FilesDone}/{progress.Files}";
        if (progress.Infected > 0)
        {
            text += $" · [red]{progress.Infected} infected[/]";
        }

        if (progress.Errors > 0)
        {
            text += $" · [yellow]{progress.Errors} errors[/]";
        }

        return text;
    }
}
