using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Moat.Cli.Configuration;
using Moat.Scanning.Clamd;
using Moat.Scanning.Content;
using Moat.Scanning.Engines;
using Moat.Scanning.Filter;
using Moat.Scanning.Heuristics;
using Moat.Scanning.Scanning;
using Moat.Scanning.Updates;

namespace Moat.Cli.Hosting;

/// <summary>
/// The antivirus engines built from the configuration, shared by both directions, and the
/// pipeline filter that uses them. The signature engine starts on the built-in database and
/// loads the data folder's signatures in the background, so start-up never waits on them.
/// </summary>
internal sealed class AntivirusComponents : IDisposable
{
    private AntivirusComponents(SignatureEngine signatures, AntivirusFilter filter, SignatureUpdateService updates, ActiveScans activeScans)
    {
        Signatures = signatures;
        ActiveScans = activeScans;
        Filter = filter;
        Updates = updates;
    }

    public SignatureEngine Signatures { get; }

    /// <summary>The scans running now, in both directions (the dashboard shows them).</summary>
    public ActiveScans ActiveScans { get; }

    public AntivirusFilter Filter { get; }

    public SignatureUpdateService Updates { get; }

    public static string SignatureFolder(MoatOptions options) => Path.GetFullPath(Path.Combine(options.DataDirectory, "signatures"));

    /// <exception cref="ArgumentException">The antivirus section cannot be built (the message says why).</exception>
    public static AntivirusComponents Create(MoatOptions options, ILoggerFactory? loggerFactory = null)
    {
        loggerFactory ??= NullLoggerFactory.Instance;
        var antivirus = options.Antivirus;
        var signatures = new SignatureEngine(logger: loggerFactory.CreateLogger<SignatureEngine>());
        var engines = new List<IScanEngine>
        {
            signatures,
            new HeuristicsEngine(new HeuristicsOptions
            {
                BlockedExtensions = antivirus.BlockedExtensions is { } blocked ? [.. blocked] : [.. HeuristicsOptions.DefaultBlockedExtensions],
            }),
        };
        if (antivirus.Clamd is { Count: > 0 } clamd)
        {
            engines.Add(new ClamdEngine(
                new ClamdOptions { Endpoints = clamd.Select(ClamdEndpoint.Parse).ToList() },
                loggerFactory.CreateLogger<ClamdEngine>()));
        }

        var limits = new ScanLimits
        {
            MaxDepth = antivirus.MaxDepth,
            MaxObjects = antivirus.MaxObjects,
            MaxTotalBytes = antivirus.MaxTotalBytes,
            MaxExpansionRatio = antivirus.MaxExpansionRatio,
        };
        var limitAction = Enum.Parse<LimitAction>(antivirus.LimitAction, ignoreCase: true);
        var activeScans = new ActiveScans();
        MultiEngineScanner Scanner(AntivirusDirectionOptions direction) => new(
            engines,
            new ScanPolicy
            {
                Engines = (direction.Engines ?? []).Select(name => new EnginePolicy(name)
                {
                    FailOpen = name.Equals("clamd", StringComparison.OrdinalIgnoreCase) && antivirus.ClamdFailOpen,
                }).ToList(),
                Decision = ParseDecision(direction.Decision),
                EngineTimeout = antivirus.EngineTimeout,
                LimitAction = limitAction,
                Limits = limits,
            },
            loggerFactory.CreateLogger<MultiEngineScanner>(),
            activeScans: activeScans);

        var filter = new AntivirusFilter(
            Scanner(antivirus.Inbound),
            Enum.Parse<AntivirusAction>(antivirus.Inbound.Action, ignoreCase: true),
            Scanner(antivirus.Outbound),
            Enum.Parse<AntivirusAction>(antivirus.Outbound.Action, ignoreCase: true));
        var updates = new SignatureUpdateService(
            new SignatureUpdateOptions
            {
                DatabaseDirectory = SignatureFolder(options),
                Source = antivirus.SignatureSource,
                Interval = antivirus.SignatureUpdateInterval,
            },
            signatures,
            logger: loggerFactory.CreateLogger<SignatureUpdateService>());
        return new AntivirusComponents(signatures, filter, updates, activeScans);
    }

    /// <summary>"any" or "quorum:N".</summary>
    public static ScanDecision ParseDecision(string text)
    {
        if (text.Equals("any", StringComparison.OrdinalIgnoreCase))
        {
            return ScanDecision.Any;
        }

        if (text.StartsWith("quorum:", StringComparison.OrdinalIgnoreCase) && int.TryParse(text[7..], out var engines) && engines >= 1)
        {
            return ScanDecision.Quorum(engines);
        }

        throw new ArgumentException($"'{text}' is not a decision; write \"any\" or \"quorum:2\".");
    }

    public void Dispose() => Updates.Dispose();
}
