using System.Diagnostics;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Moat.Scanning.Content;
using Moat.Scanning.Engines;

namespace Moat.Scanning.Scanning;

/// <summary>
/// Scans content with several engines: the content walker finds every object (the whole
/// message, its parts, archive members), every engine that accepts an object scans it (the
/// engines of one object concurrently, each under its own timeout), and <see cref="ScanPolicy"/>
/// turns the verdicts into one <see cref="ScanOutcome"/>. An engine that fails or overruns makes
/// the outcome an error unless it is fail-open: trouble is never "clean".
/// </summary>
public sealed partial class MultiEngineScanner
{
    public const string MeterName = "Moat.Scanning";

    /// <summary>The <see cref="ScanFailure.Source"/> of failures outside any engine.</summary>
    public const string ContentSource = "content";

    private readonly ConfiguredEngine[] engines;
    private readonly ScanPolicy policy;
    private readonly ContentWalk walk;
    private readonly ILogger logger;
    private readonly ScanMetrics metrics;

    /// <param name="engines">The engines available; <see cref="ScanPolicy.Engines"/> picks among them by name.</param>
    /// <param name="meterFactory">Where the "Moat.Scanning" meter comes from; null uses one shared meter.</param>
    /// <param name="activeScans">The registry the dashboard reads; null gives this scanner its own.</param>
    public MultiEngineScanner(
        IEnumerable<IScanEngine> engines,
        ScanPolicy policy,
        ILogger<MultiEngineScanner>? logger = null,
        IMeterFactory? meterFactory = null,
        ActiveScans? activeScans = null)
        : this(engines, policy, walk: null, logger, meterFactory, activeScans)
    {
    }

    /// <summary>With <paramref name="walk"/> standing in for the content walker (tests of the aggregation logic).</summary>
    internal MultiEngineScanner(
        IEnumerable<IScanEngine> engines,
        ScanPolicy policy,
        ContentWalk? walk,
        ILogger? logger,
        IMeterFactory? meterFactory,
        ActiveScans? activeScans)
    {
        ArgumentNullException.ThrowIfNull(engines);
        ArgumentNullException.ThrowIfNull(policy);
        this.policy = policy;
        this.engines = Configure(engines.ToArray(), policy);
        this.logger = logger ?? NullLogger.Instance;
        this.walk = walk ?? new ContentWalker(policy.Limits, this.logger).WalkAsync;
        metrics = new ScanMetrics(meterFactory);
        ActiveScans = activeScans ?? new ActiveScans();
    }

    /// <summary>The engines that run, in policy order.</summary>
    public IReadOnlyList<IScanEngine> Engines => engines.Select(engine => engine.Engine).ToArray();

    public ActiveScans ActiveScans { get; }

    /// <summary>
    /// Scans <paramref name="root"/> and everything inside it. Cancelling the token throws
    /// <see cref="OperationCanceledException"/> rather than giving an outcome.
    /// </summary>
    public async Task<ScanReport> ScanAsync(ScanObject root, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(root);
        var started = Stopwatch.GetTimestamp();
        var active = ActiveScans.Start(root.Path, root.Length);
        try
        {
            using var run = new ScanRun(engines, policy.MaxConcurrentEngines);
            var trackedRoot = Track(root, run.Track(active.ReportRootPosition));
            try
            {
                // The walker may keep objects in temp files that go when it moves on, so each
                // object is finished by every engine before the next one is asked for.
                await foreach (var item in walk(trackedRoot, run.Violations, cancellationToken))
                {
                    var target = ReferenceEquals(item, trackedRoot) ? item : Track(item, run.Track());
                    active.StartObject(item.Path);
                    run.CountObject();
                    await ScanObjectAsync(target, run, cancellationToken);
                    active.FinishObject();
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                run.AddFailure(new ScanFailure(ContentSource, root.Path, ex.Message, TimedOut: false, FailOpen: false));
            }

            var detections = run.Detections;
            var failures = run.Failures;
            var outcome = Decide(root.Path, detections, run.Violations, failures, run.EngineScans, policy);
            metrics.RecordScan(outcome.Kind);
            return new ScanReport
            {
                Name = root.Path,
                Outcome = outcome,
                Detections = detections,
                Failures = failures,
                Violations = run.Violations.ToArray(),
                Engines = engines.Select(engine => run.Statistics(engine.Name)).ToArray(),
                ObjectsScanned = run.Objects,
                BytesScanned = run.BytesRead,
                Duration = Stopwatch.GetElapsedTime(started),
            };
        }
        finally
        {
            ActiveScans.Finish(active);
        }
    }

    /// <summary>
    /// The one place verdicts become an outcome. A detection that reaches the quorum wins over
    /// everything (it is certain); content left unscanned at a bound comes next (it is a property
    /// of the content; damaged parts are only reported); then failures of engines without fail-open. A scan in which no
    /// engine looked at anything is an error, not "clean".
    /// </summary>
    internal static ScanOutcome Decide(
        string rootPath,
        IReadOnlyList<ScanDetection> detections,
        IReadOnlyList<LimitViolation> violations,
        IReadOnlyList<ScanFailure> failures,
        int engineScans,
        ScanPolicy policy)
    {
        var detectingEngines = detections.Select(d => d.Engine).Distinct(StringComparer.Ordinal).Count();
        if (detections.Count > 0 && detectingEngines >= policy.Decision.RequiredEngines)
        {
            return ScanOutcome.Infected(detections);
        }

        var bounds = violations.Where(v => LimitNames.IsBound(v.Limit)).ToArray();
        if (bounds.Length > 0)
        {
            return ScanOutcome.LimitExceeded(bounds, policy.LimitAction);
        }

        var blocking = failures.Where(f => !f.FailOpen).ToArray();
        if (blocking.Length > 0)
        {
            return ScanOutcome.Error(blocking);
        }

        return engineScans == 0
            ? ScanOutcome.Error([new ScanFailure(ContentSource, rootPath, "no engine accepted any object", TimedOut: false, FailOpen: false)])
            : ScanOutcome.Clean;
    }

    private async Task ScanObjectAsync(ScanObject item, ScanRun run, CancellationToken cancellationToken)
    {
        var accepting = engines.Where(engine => engine.Engine.Accepts(item)).ToArray();
        if (accepting.Length == 1)
        {
            await RunEngineAsync(accepting[0], item, run, cancellationToken);
        }
        else if (accepting.Length > 1)
        {
            await Task.WhenAll(accepting.Select(engine => RunEngineAsync(engine, item, run, cancellationToken)));
        }
    }

    private async Task RunEngineAsync(ConfiguredEngine engine, ScanObject item, ScanRun run, CancellationToken cancellationToken)
    {
        await run.Gate.WaitAsync(cancellationToken);
        try
        {
            var started = Stopwatch.GetTimestamp();
            var timedOut = false;
            EngineVerdict verdict;
            using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
            {
                timeout.CancelAfter(engine.Timeout);
                try
                {
                    // WaitAsync also ends the wait for an engine that ignores its token.
                    verdict = await engine.Engine.ScanAsync(item, timeout.Token).AsTask().WaitAsync(timeout.Token);
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    timedOut = true;
                    verdict = EngineVerdict.Error($"no verdict within {engine.Timeout.TotalSeconds:0.###} s");
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    verdict = EngineVerdict.Error($"{ex.GetType().Name}: {ex.Message}");
                }
            }

            var elapsed = Stopwatch.GetElapsedTime(started);
            Record(engine, item, verdict, timedOut, elapsed, run);
        }
        finally
        {
            run.Gate.Release();
        }
    }

    private void Record(ConfiguredEngine engine, ScanObject item, EngineVerdict verdict, bool timedOut, TimeSpan elapsed, ScanRun run)
    {
        metrics.RecordDuration(engine.Name, elapsed);
        var found = verdict.Threats.Select(threat => new ScanDetection(engine.Name, threat, item.Path)).ToArray();
        foreach (var detection in found)
        {
            metrics.RecordDetection(engine.Name, detection.Threat);
        }

        ScanFailure? failure = null;
        if (verdict.Kind == EngineVerdictKind.Error)
        {
            var reason = verdict.Reason ?? "no reason given";
            failure = new ScanFailure(engine.Name, item.Path, reason, timedOut, engine.FailOpen);
            metrics.RecordError(engine.Name, timedOut);
            if (engine.FailOpen)
            {
                metrics.RecordFailOpen(engine.Name);
                LogFailOpen(engine.Name, item.Path, reason);
            }
            else
            {
                LogEngineFailed(engine.Name, item.Path, reason);
            }
        }

        run.Record(engine.Name, verdict, elapsed, found, failure);
    }

    /// <summary>
    /// A copy of <paramref name="item"/> whose streams report how far they are read. Every
    /// property of <see cref="ScanObject"/> is carried over.
    /// </summary>
    private static ScanObject Track(ScanObject item, ReadProgress progress) =>
        new(item.Path, item.Kind, async cancellationToken => new CountingStream(await item.Open(cancellationToken), progress))
        {
            FileName = item.FileName,
            DeclaredContentType = item.DeclaredContentType,
            Length = item.Length,
            Depth = item.Depth,
            IsEncrypted = item.IsEncrypted,
        };

    private static ConfiguredEngine[] Configure(IScanEngine[] available, ScanPolicy policy)
    {
        RequireTimeout(policy.EngineTimeout, nameof(ScanPolicy.EngineTimeout));
        ArgumentOutOfRangeException.ThrowIfLessThan(policy.MaxConcurrentEngines, 1, nameof(ScanPolicy.MaxConcurrentEngines));
        ArgumentNullException.ThrowIfNull(policy.Decision, nameof(ScanPolicy.Decision));
        var duplicate = available.GroupBy(e => e.Name, StringComparer.OrdinalIgnoreCase).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new ArgumentException($"Two engines are called '{duplicate.Key}'.", nameof(available));
        }

        var chosen = policy.Engines.Count == 0
            ? available.Select(engine => new ConfiguredEngine(engine, policy.EngineTimeout, FailOpen: false)).ToArray()
            : policy.Engines.Select(setting =>
            {
                var engine = available.FirstOrDefault(e => string.Equals(e.Name, setting.Name, StringComparison.OrdinalIgnoreCase))
                    ?? throw new ArgumentException(
                        $"The scan policy names the engine '{setting.Name}', which is not available (available: {string.Join(", ", available.Select(e => e.Name))}).",
                        nameof(policy));
                var timeout = setting.Timeout ?? policy.EngineTimeout;
                RequireTimeout(timeout, $"the timeout of '{setting.Name}'");
                return new ConfiguredEngine(engine, timeout, setting.FailOpen);
            }).ToArray();

        if (chosen.Length == 0)
        {
            throw new ArgumentException("A scanner needs at least one engine.", nameof(available));
        }

        if (chosen.Select(e => e.Name).Distinct(StringComparer.OrdinalIgnoreCase).Count() != chosen.Length)
        {
            throw new ArgumentException("The scan policy names an engine twice.", nameof(policy));
        }

        if (policy.Decision.RequiredEngines > chosen.Length)
        {
            throw new ArgumentException(
                $"The decision {policy.Decision} needs more engines than the {chosen.Length} that run: nothing could ever be found.", nameof(policy));
        }

        return chosen;
    }

    private static void RequireTimeout(TimeSpan timeout, string what)
    {
        // CancelAfter accepts at most about 49 days; anything longer is a configuration mistake.
        if (timeout <= TimeSpan.Zero || timeout.TotalMilliseconds > int.MaxValue)
        {
            throw new ArgumentException($"{what} must be positive and finite, not {timeout}.");
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Engine {Engine} gave no verdict for {ObjectPath} ({Reason}); it is fail-open, so the scan goes on without it")]
    private partial void LogFailOpen(string engine, string objectPath, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Engine {Engine} gave no verdict for {ObjectPath} ({Reason}); the scan is an error")]
    private partial void LogEngineFailed(string engine, string objectPath, string reason);
}
