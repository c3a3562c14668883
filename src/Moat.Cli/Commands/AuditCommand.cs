using System.Collections.Concurrent;
using System.CommandLine;
using System.Globalization;
using System.Net;
using Moat.Audit;
using Moat.Audit.Findings;
using Moat.Audit.Reporting;
using Moat.Audit.Targets;
using Moat.Audit.Vulnerabilities;
using Moat.Cli.Configuration;
using Moat.Queue.Dns;
using Spectre.Console;

namespace Moat.Cli.Commands;

/// <summary>
/// <c>moat audit</c>: the operator's own mail hosts seen as an attacker sees them, and
/// <c>moat audit update-data</c> for the vulnerability data. The exit code follows the most
/// severe finding (see <see cref="ExitCodeFor"/>), so a cron job or CI step can act on it.
/// </summary>
internal static class AuditCommand
{
    public static Command Create()
    {
        var domains = new Option<string[]>("--domain")
        {
            Description = "A mail domain of yours: its MX, SPF, DMARC, MTA-STS and TLS-RPT records are read and its MX hosts scanned. Repeatable or comma-separated.",
        };
        var hosts = new Option<string[]>("--hosts")
        {
            Description = "Addresses, CIDR networks and host names of yours to scan, comma-separated (e.g. 192.0.2.0/28,mail2.example.org). Repeatable.",
        };
        var hostsFile = new Option<string?>("--hosts-file")
        {
            Description = "A file of targets, one a line: an address, network or host name, domain:example.org, port:2526; # starts a comment.",
        };
        var ports = new Option<string?>("--ports")
        {
            Description = "Ports tried in addition to 25, 465, 587 and 2525, comma-separated (e.g. 2526,10025).",
        };
        var rate = new Option<double>("--rate")
        {
            Description = "Connection attempts per second of the port scan.",
            DefaultValueFactory = _ => AuditOptions.DefaultRate,
        };
        var concurrency = new Option<int>("--concurrency")
        {
            Description = "Connections open at once (scan attempts, and listeners probed at once).",
            DefaultValueFactory = _ => AuditOptions.DefaultConcurrency,
        };
        var maxAddresses = new Option<int?>("--max-addresses")
        {
            Description = $"Scan up to this many addresses (default {AuditScope.DefaultMaxAddresses}); also needed for networks larger than /16.",
        };
        var dnsServer = new Option<string?>("--dns-server")
        {
            Description = "The DNS server to ask (address or address:port). Default: delivery.dnsServers from the configuration, else the system's.",
        };
        var json = new Option<string?>("--json") { Description = "Also write the whole result as JSON to this file." };
        var html = new Option<string?>("--html") { Description = "Also write a self-contained HTML report to this file." };
        var noRelayProbes = new Option<bool>("--no-relay-probes")
        {
            Description = "Skip the open-relay probes (they send MAIL FROM and RCPT TO, never DATA).",
        };
        var config = CommonOptions.Config();
        var data = CommonOptions.Data();

        var command = new Command(
            "audit",
            "Audit your own mail servers as an attacker would: port scan, fingerprints, open relay, TLS, VRFY/EXPN, known vulnerabilities, DNS records. "
            + "Scans only the targets given. Exit code: 0 nothing above info, 3 low, 4 medium, 5 high, 6 critical.")
        {
            domains, hosts, hostsFile, ports, rate, concurrency, maxAddresses, dnsServer, json, html, noRelayProbes, config, data,
        };
        command.Subcommands.Add(CreateUpdateData());
        command.SetAction(async (result, cancellationToken) =>
        {
            if (!TryPorts(result.GetValue(ports), out var extraPorts))
            {
                return ExitCodes.ConfigurationError;
            }

            var parsed = TargetParser.Parse(
                result.GetValue(domains) ?? [],
                result.GetValue(hosts) ?? [],
                result.GetValue(hostsFile),
                new TargetParserOptions { ExtraPorts = extraPorts, MaxAddresses = result.GetValue(maxAddresses) });
            if (!parsed.Succeeded)
            {
                Console.Error.WriteLine("The targets cannot be audited:");
                foreach (var error in parsed.Errors)
                {
                    Console.Error.WriteLine("  " + error);
                }

                return ExitCodes.ConfigurationError;
            }

            var options = CommonOptions.Load(result, config, data);
            if (options is null)
            {
                return ExitCodes.ConfigurationError;
            }

            var servers = result.GetValue(dnsServer) is { } given ? [given] : options.Delivery.DnsServers ?? [];
            if (servers.FirstOrDefault(s => !IsServer(s)) is { } bad)
            {
                Console.Error.WriteLine($"--dns-server: '{bad}' is not an address or address:port (e.g. 127.0.0.1:5353).");
                return ExitCodes.ConfigurationError;
            }

            var auditOptions = new AuditOptions
            {
                Scope = parsed.Scope,
                Rate = result.GetValue(rate),
                Concurrency = result.GetValue(concurrency),
                RelayProbes = !result.GetValue(noRelayProbes),
                DnsServers = servers.Count == 0 ? "system resolver" : string.Join(", ", servers),
            };
            try
            {
                auditOptions.Validate();
            }
            catch (ArgumentOutOfRangeException ex)
            {
                Console.Error.WriteLine($"--{ex.ParamName?.ToLowerInvariant()}: {ex.Message.Split(" (Parameter")[0]}");
                return ExitCodes.ConfigurationError;
            }

            VulnerabilityDatabase database;
            try
            {
                database = await VulnerabilityDatabase.LoadAsync(options.DataDirectory, cancellationToken);
            }
            catch (VulnerabilityDataException ex)
            {
                Console.Error.WriteLine("The installed vulnerability data cannot be used: " + ex.Message);
                Console.Error.WriteLine($"  fix: run `moat audit update-data <file-or-url>` again, or delete {VulnerabilityDatabase.OverridePath(options.DataDirectory)} to use the built-in data.");
                return ExitCodes.ConfigurationError;
            }

            var dns = DnsClientResolver.CreateLookupClient(new DnsOptions { NameServers = [.. servers] });
            var runner = new AuditRunner(dns, database);
            return await RunAsync(runner, auditOptions, result.GetValue(json), result.GetValue(html), cancellationToken);
        });
        return command;
    }

    /// <summary>0 when nothing is above info; 3, 4, 5, 6 for low, medium, high, critical (1 and 2 are errors).</summary>
    public static int ExitCodeFor(Severity? highest) => highest switch
    {
        Severity.Critical => ExitCodes.AuditCritical,
        Severity.High => ExitCodes.AuditHigh,
        Severity.Medium => ExitCodes.AuditMedium,
        Severity.Low => ExitCodes.AuditLow,
        _ => ExitCodes.Success,
    };

    private static async Task<int> RunAsync(AuditRunner runner, AuditOptions options, string? jsonPath, string? htmlPath, CancellationToken cancellationToken)
    {
        var interactive = !Console.IsOutputRedirected;
        var announce = $"Scanning only the targets given: {options.Scope}; at most {options.Rate.ToString("0.##", CultureInfo.InvariantCulture)} connection attempts per second, {options.Concurrency} at once.";
        AuditResult result;
        try
        {
            if (interactive)
            {
                AnsiConsole.Console.Write(new Text(announce + "\n"));
                result = await ShowProgressAsync(runner, options, cancellationToken);
            }
            else
            {
                Console.Error.WriteLine(announce);
                result = await runner.RunAsync(options, null, cancellationToken);
            }
        }
        catch (ArgumentException ex)
        {
            Console.Error.WriteLine("The audit cannot run: " + ex.Message);
            return ExitCodes.ConfigurationError;
        }

        if (interactive)
        {
            AuditTerminalReport.WriteTables(AnsiConsole.Console, result);
        }
        else
        {
            AuditTerminalReport.WritePlain(Console.Out, result);
        }

        try
        {
            if (jsonPath is not null)
            {
                await AuditJsonReport.WriteAsync(jsonPath, result, cancellationToken);
                Console.WriteLine("JSON report: " + Path.GetFullPath(jsonPath));
            }

            if (htmlPath is not null)
            {
                await AuditHtmlReport.WriteAsync(htmlPath, result, cancellationToken);
                Console.WriteLine("HTML report: " + Path.GetFullPath(htmlPath));
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine("Cannot write the report: " + ex.Message);
            return ExitCodes.Failure;
        }

        return ExitCodeFor(result.HighestSeverity);
    }

    /// <summary>A live display while the audit runs: one bar per phase (DNS, port scan, probes), refreshed until it ends.</summary>
    private static async Task<AuditResult> ShowProgressAsync(AuditRunner runner, AuditOptions options, CancellationToken cancellationToken)
    {
        // The latest report of each phase; reports of the parallel probes may arrive out of order,
        // so the furthest one wins. Even a run faster than one refresh shows every phase it went through.
        var phases = new ConcurrentDictionary<AuditPhase, AuditProgress>();
        var progress = new LatestProgress(p => phases.AddOrUpdate(p.Phase, p, (_, old) => p.Done >= old.Done ? p : old));
        var run = runner.RunAsync(options, progress, cancellationToken);
        await AnsiConsole.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new SpinnerColumn())
            .StartAsync(async context =>
            {
                var tasks = new Dictionary<AuditPhase, ProgressTask>();
                void Update()
                {
                    foreach (var phase in new[] { AuditPhase.Resolving, AuditPhase.Scanning, AuditPhase.Probing })
                    {
                        if (!phases.TryGetValue(phase, out var now))
                        {
                            continue;
                        }

                        if (!tasks.TryGetValue(phase, out var task))
                        {
                            task = tasks[phase] = context.AddTask(phase.ToString(), maxValue: Math.Max(1, now.Total));
                        }

                        task.MaxValue = Math.Max(1, now.Total);
                        task.Value = now.Done;
                        task.Description = Markup.Escape(Describe(now));
                    }
                }

                while (!run.IsCompleted)
                {
                    await Task.WhenAny(run, Task.Delay(TimeSpan.FromMilliseconds(200), CancellationToken.None));
                    Update();
                }

                Update();
                foreach (var task in tasks.Values)
                {
                    task.Value = task.MaxValue;
                }
            });
        return await run;
    }

    private static string Describe(AuditProgress progress) => progress.Phase switch
    {
        AuditPhase.Resolving => $"DNS {progress.Done}/{progress.Total}",
        AuditPhase.Scanning => $"ports {progress.Done}/{progress.Total} · {progress.OpenPorts} open",
        _ => $"probes {progress.Done}/{progress.Total} · {progress.SmtpListeners} speak SMTP",
    };

    private static Command CreateUpdateData()
    {
        var source = new Argument<string>("file-or-url")
        {
            Description = "The new vulnerability data: a JSON file, or an https URL (http only to a loopback address).",
        };
        var config = CommonOptions.Config();
        var data = CommonOptions.Data();
        var command = new Command(
            "update-data",
            "Replace the vulnerability data moat audit matches versions against, after validating all of it. It is installed in the data folder; older data than the one in use is refused.")
        {
            source, config, data,
        };
        command.SetAction(async (result, cancellationToken) =>
        {
            var options = CommonOptions.Load(result, config, data);
            if (options is null)
            {
                return ExitCodes.ConfigurationError;
            }

            Directory.CreateDirectory(options.DataDirectory);
            using var http = new HttpClient { Timeout = TimeSpan.FromMinutes(2) };
            try
            {
                var update = await new VulnerabilityDataUpdater(http).UpdateAsync(result.GetValue(source)!, options.DataDirectory, cancellationToken);
                Console.WriteLine($"Installed vulnerability data of {update.Date:yyyy-MM-dd} ({update.AdvisoryCount} advisories) in {update.Path}.");
                Console.WriteLine($"It replaces the data of {update.PreviousDate:yyyy-MM-dd} ({update.PreviousAdvisoryCount} advisories, {update.PreviousOrigin}).");
                return ExitCodes.Success;
            }
            catch (VulnerabilityDataException ex)
            {
                Console.Error.WriteLine("Nothing was changed: " + ex.Message);
                return ExitCodes.Failure;
            }
        });
        return command;
    }

    private static bool TryPorts(string? text, out IReadOnlyList<int> ports)
    {
        var list = new List<int>();
        ports = list;
        foreach (var part in (text ?? string.Empty).Split([',', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535)
            {
                Console.Error.WriteLine($"--ports: '{part}' is not a TCP port (1-65535).");
                return false;
            }

            list.Add(port);
        }

        return true;
    }

    private static bool IsServer(string text) => IPAddress.TryParse(text, out _) || IPEndPoint.TryParse(text, out _);

    /// <summary>Hands each report on at once on the reporting thread (Progress{T} would post to a context and reorder them).</summary>
    private sealed class LatestProgress(Action<AuditProgress> store) : IProgress<AuditProgress>
    {
        public void Report(AuditProgress value) => store(value);
    }
}
