using Moat.Scanning.Engines;

namespace Moat.Scanning.Tests.Scanning;

/// <summary>An engine whose verdicts the test scripts.</summary>
internal sealed class FakeEngine : IScanEngine
{
    private readonly Func<ScanObject, CancellationToken, ValueTask<EngineVerdict>> scan;
    private readonly Func<ScanObject, bool> accepts;
    private int scanned;

    public FakeEngine(string name, Func<ScanObject, CancellationToken, ValueTask<EngineVerdict>> scan, Func<ScanObject, bool>? accepts = null)
    {
        Name = name;
        this.scan = scan;
        this.accepts = accepts ?? (_ => true);
    }

    public string Name { get; }

    public int Scanned => Volatile.Read(ref scanned);

    public static FakeEngine Clean(string name) => new(name, (_, _) => ValueTask.FromResult(EngineVerdict.Clean));

    /// <summary>Finds <paramref name="threat"/> in objects whose path contains <paramref name="pathPart"/>.</summary>
    public static FakeEngine Finding(string name, string threat, string pathPart = "") =>
        new(name, (item, _) => ValueTask.FromResult(item.Path.Contains(pathPart, StringComparison.Ordinal) ? EngineVerdict.Infected(threat) : EngineVerdict.Clean));

    public static FakeEngine Failing(string name, string reason = "engine broken") =>
        new(name, (_, _) => ValueTask.FromResult(EngineVerdict.Error(reason)));

    public static FakeEngine Throwing(string name) =>
        new(name, (_, _) => throw new InvalidOperationException("engine crashed"));

    /// <summary>Waits until cancelled, as a hung engine that honours its token.</summary>
    public static FakeEngine Hanging(string name) =>
        new(name, async (_, token) =>
        {
            await Task.Delay(Timeout.Infinite, token);
            return EngineVerdict.Clean;
        });

    /// <summary>Never finishes and ignores its token.</summary>
    public static FakeEngine Deaf(string name) =>
        new(name, async (_, _) =>
        {
            await new TaskCompletionSource().Task;
            return EngineVerdict.Clean;
        });

    public bool Accepts(ScanObject item) => accepts(item);

    public ValueTask<EngineVerdict> ScanAsync(ScanObject item, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref scanned);
        return scan(item, cancellationToken);
    }
}
