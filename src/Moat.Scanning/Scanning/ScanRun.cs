using Moat.Scanning.Content;

namespace Moat.Scanning.Scanning;

/// <summary>What one scan collects while engines run concurrently; every member is thread-safe.</summary>
internal sealed class ScanRun : IDisposable
{
    private readonly Lock sync = new();
    private readonly List<ScanDetection> detections = [];
    private readonly List<ScanFailure> failures = [];
    private readonly List<ReadProgress> progress = [];
    private readonly Dictionary<string, EngineTally> tallies;
    private int objects;
    private int engineScans;

    public ScanRun(IEnumerable<ConfiguredEngine> engines, int maxConcurrentEngines)
    {
        tallies = engines.ToDictionary(engine => engine.Name, _ => new EngineTally(), StringComparer.Ordinal);
        Gate = new SemaphoreSlim(maxConcurrentEngines);
    }

    /// <summary>Bounds how many engines scan at once.</summary>
    public SemaphoreSlim Gate { get; }

    public List<LimitViolation> Violations { get; } = [];

    public ReadProgress Track(Action<long>? onAdvance = null)
    {
        var item = new ReadProgress(onAdvance);
        lock (sync)
        {
            progress.Add(item);
        }

        return item;
    }

    public void CountObject() => Interlocked.Increment(ref objects);

    public void Record(string engine, EngineVerdict verdict, TimeSpan elapsed, IEnumerable<ScanDetection> found, ScanFailure? failure)
    {
        lock (sync)
        {
            engineScans++;
            var tally = tallies[engine];
            tally.Objects++;
            tally.Duration += elapsed;
            detections.AddRange(found);
            if (verdict.Kind == EngineVerdictKind.Infected)
            {
                tally.Detections++;
            }

            if (failure is not null)
            {
                tally.Errors++;
                failures.Add(failure);
            }
        }
    }

    /// <summary>A failure outside any engine: the content could not be walked.</summary>
    public void AddFailure(ScanFailure failure)
    {
        lock (sync)
        {
            failures.Add(failure);
        }
    }

    public int Objects => Volatile.Read(ref objects);

    public int EngineScans
    {
        get
        {
            lock (sync)
            {
                return engineScans;
            }
        }
    }

    public IReadOnlyList<ScanDetection> Detections
    {
        get
        {
            lock (sync)
            {
                return detections.ToArray();
            }
        }
    }

    public IReadOnlyList<ScanFailure> Failures
    {
        get
        {
            lock (sync)
            {
                return failures.ToArray();
            }
        }
    }

    public long BytesRead
    {
        get
        {
            lock (sync)
            {
                return progress.Sum(p => p.Furthest);
            }
        }
    }

    public EngineStatistics Statistics(string engine)
    {
        lock (sync)
        {
            var tally = tallies[engine];
            return new EngineStatistics(engine, tally.Objects, tally.Duration, tally.Detections, tally.Errors);
        }
    }

    public void Dispose() => Gate.Dispose();
}
