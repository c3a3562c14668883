using Moat.Testing;
using System.Runtime.CompilerServices;
using System.Text;
using Moat.Scanning.Content;
using Moat.Scanning.Engines;
using Moat.Scanning.Scanning;

namespace Moat.Scanning.Tests.Scanning;

/// <summary>The aggregation logic with scripted engines and a scripted walk: no I/O, no clock.</summary>
public sealed class MultiEngineScannerTests
{
    private const string RootContent = "From: a@example.test\r\n\r\nroot content\r\n";

    private const string PartContent = "part content";

    private static readonly TimeSpan Short = TimeSpan.FromMilliseconds(100);

    [Fact]
    public async Task OneDetectionIsEnoughForAny()
    {
        var scanner = Scanner([FakeEngine.Clean("a"), FakeEngine.Finding("b", "Bad.Thing", "invoice")], new ScanPolicy(), Walk("invoice.exe"));

        var report = await scanner.ScanAsync(Root(), CancellationToken.None);

        Assert.Equal(ScanOutcomeKind.Infected, report.Outcome.Kind);
        Assert.Equal(["Bad.Thing"], report.Outcome.Threats);
        Assert.Equal(["b"], report.Outcome.Engines);
        Assert.Equal(["message.eml › invoice.exe"], report.Outcome.ObjectPaths);
    }

    [Fact]
    public async Task AQuorumNeedsThatManyEngines()
    {
        var policy = new ScanPolicy { Decision = ScanDecision.Quorum(2) };
        var oneOfThree = Scanner([FakeEngine.Clean("a"), FakeEngine.Finding("b", "Bad.Thing"), FakeEngine.Clean("c")], policy, Walk());
        var twoOfThree = Scanner([FakeEngine.Finding("a", "Other.Name"), FakeEngine.Finding("b", "Bad.Thing"), FakeEngine.Clean("c")], policy, Walk());

        var below = await oneOfThree.ScanAsync(Root(), CancellationToken.None);
        var reached = await twoOfThree.ScanAsync(Root(), CancellationToken.None);

        Assert.Equal(ScanOutcomeKind.Clean, below.Outcome.Kind);
        Assert.Single(below.Detections);
        Assert.Equal(ScanOutcomeKind.Infected, reached.Outcome.Kind);
        Assert.Equal(["a", "b"], reached.Outcome.Engines.Order());
    }

    [Fact]
    public async Task AQuorumCountsEnginesAcrossObjects()
    {
        // clamd sees only the whole message, our engine only the part: both count towards the quorum.
        var wholeOnly = new FakeEngine("whole", (_, _) => ValueTask.FromResult(EngineVerdict.Infected("Bad.Thing")), item => item.Kind == ScanObjectKind.Root);
        var partsOnly = new FakeEngine("parts", (_, _) => ValueTask.FromResult(EngineVerdict.Infected("Bad.Thing")), item => item.Kind != ScanObjectKind.Root);
        var scanner = Scanner([wholeOnly, partsOnly], new ScanPolicy { Decision = ScanDecision.Quorum(2) }, Walk("part"));

        var report = await scanner.ScanAsync(Root(), CancellationToken.None);

        Assert.Equal(ScanOutcomeKind.Infected, report.Outcome.Kind);
        Assert.Equal(1, wholeOnly.Scanned);
        Assert.Equal(1, partsOnly.Scanned);
    }

    [Fact]
    public async Task AnEngineErrorMakesTheScanAnError()
    {
        var scanner = Scanner([FakeEngine.Clean("a"), FakeEngine.Failing("b", "database missing")], new ScanPolicy(), Walk());

        var report = await scanner.ScanAsync(Root(), CancellationToken.None);

        Assert.Equal(ScanOutcomeKind.Error, report.Outcome.Kind);
        var failure = Assert.Single(report.Outcome.Failures);
        Assert.Equal("b", failure.Source);
        Assert.Equal("database missing", failure.Reason);
        Assert.False(failure.TimedOut);
    }

    [Fact]
    public async Task AnEngineThatThrowsMakesTheScanAnError()
    {
        var scanner = Scanner([FakeEngine.Throwing("a")], new ScanPolicy(), Walk());

        var report = await scanner.ScanAsync(Root(), CancellationToken.None);

        Assert.Equal(ScanOutcomeKind.Error, report.Outcome.Kind);
        Assert.Contains("engine crashed", report.Outcome.Failures[0].Reason);
    }

    [Fact]
    public async Task AFailOpenEngineErrorIsCountedButDoesNotChangeTheOutcome()
    {
        using var meters = new TestMeterFactory();
        using var recorder = new MetricsRecorder(meters);
        var policy = new ScanPolicy { Engines = [new EnginePolicy("a"), new EnginePolicy("b") { FailOpen = true }] };
        var scanner = new MultiEngineScanner([FakeEngine.Clean("a"), FakeEngine.Failing("b")], policy, Walk(), null, meters, null);

        var report = await scanner.ScanAsync(Root(), CancellationToken.None);

        Assert.Equal(ScanOutcomeKind.Clean, report.Outcome.Kind);
        Assert.True(Assert.Single(report.Failures).FailOpen);
        Assert.Equal(1, recorder.Sum("engine.failopen", ("engine", "b")));
        Assert.Equal(1, recorder.Sum("engine.errors", ("engine", "b"), ("reason", "error")));
        Assert.Equal(1, recorder.Sum("scans", ("outcome", "clean")));
    }

    [Fact]
    public async Task AnEngineThatOverrunsItsTimeoutIsAnError()
    {
        var policy = new ScanPolicy { Engines = [new EnginePolicy("quick"), new EnginePolicy("slow") { Timeout = Short }] };
        var scanner = Scanner([FakeEngine.Clean("quick"), FakeEngine.Hanging("slow")], policy, Walk());

        var report = await scanner.ScanAsync(Root(), CancellationToken.None);

        Assert.Equal(ScanOutcomeKind.Error, report.Outcome.Kind);
        var failure = Assert.Single(report.Outcome.Failures);
        Assert.Equal("slow", failure.Source);
        Assert.True(failure.TimedOut);
    }

    [Fact]
    public async Task AnEngineThatIgnoresItsTokenStillTimesOut()
    {
        using var meters = new TestMeterFactory();
        using var recorder = new MetricsRecorder(meters);
        var scanner = new MultiEngineScanner([FakeEngine.Deaf("deaf")], new ScanPolicy { EngineTimeout = Short }, Walk(), null, meters, null);

        var report = await scanner.ScanAsync(Root(), CancellationToken.None);

        Assert.Equal(ScanOutcomeKind.Error, report.Outcome.Kind);
        Assert.True(report.Outcome.Failures[0].TimedOut);
        Assert.Equal(1, recorder.Sum("engine.errors", ("engine", "deaf"), ("reason", "timeout")));
    }

    [Fact]
    public async Task ALimitViolationGivesLimitExceededWithThePolicysAction()
    {
        var violation = new LimitViolation(LimitNames.ExpansionRatio, "message.eml › bomb.zip", "expands more than 250 times");
        var scanner = Scanner([FakeEngine.Clean("a")], new ScanPolicy { LimitAction = LimitAction.Quarantine }, Walk(["bomb.zip"], [violation]));

        var report = await scanner.ScanAsync(Root(), CancellationToken.None);

        Assert.Equal(ScanOutcomeKind.LimitExceeded, report.Outcome.Kind);
        Assert.Equal(LimitAction.Quarantine, report.Outcome.LimitAction);
        Assert.Equal([violation], report.Outcome.Violations);
    }

    [Theory]
    [InlineData(LimitNames.DamagedArchive)]
    [InlineData(LimitNames.DamagedMessage)]
    public async Task DamagedContentIsReportedButNotRefused(string limit)
    {
        // Everything readable in it was scanned; broken but harmless mail is common.
        var damage = new LimitViolation(limit, "message.eml › truncated.zip", "unexpected end");
        var scanner = Scanner([FakeEngine.Clean("a")], new ScanPolicy(), Walk(["truncated.zip"], [damage]));

        var report = await scanner.ScanAsync(Root(), CancellationToken.None);

        Assert.Equal(ScanOutcomeKind.Clean, report.Outcome.Kind);
        Assert.Equal([damage], report.Violations);
    }

    [Fact]
    public async Task ADetectionWinsOverALimitViolationAndALimitViolationOverAnError()
    {
        var violation = new LimitViolation(LimitNames.Depth, "message.eml", "too deep");
        var infected = Scanner([FakeEngine.Finding("a", "Bad.Thing"), FakeEngine.Failing("b")], new ScanPolicy(), Walk([], [violation]));
        var limited = Scanner([FakeEngine.Clean("a"), FakeEngine.Failing("b")], new ScanPolicy(), Walk([], [violation]));

        Assert.Equal(ScanOutcomeKind.Infected, (await infected.ScanAsync(Root(), CancellationToken.None)).Outcome.Kind);
        Assert.Equal(ScanOutcomeKind.LimitExceeded, (await limited.ScanAsync(Root(), CancellationToken.None)).Outcome.Kind);
    }

    [Fact]
    public async Task AWalkThatFailsIsAnError()
    {
        var scanner = Scanner([FakeEngine.Clean("a")], new ScanPolicy(), FailingWalk);

        var report = await scanner.ScanAsync(Root(), CancellationToken.None);

        Assert.Equal(ScanOutcomeKind.Error, report.Outcome.Kind);
        Assert.Equal(MultiEngineScanner.ContentSource, report.Outcome.Failures[0].Source);
    }

    [Fact]
    public async Task NothingScannedIsNotClean()
    {
        var picky = new FakeEngine("picky", (_, _) => ValueTask.FromResult(EngineVerdict.Clean), _ => false);
        var scanner = Scanner([picky], new ScanPolicy(), Walk());

        var report = await scanner.ScanAsync(Root(), CancellationToken.None);

        Assert.Equal(ScanOutcomeKind.Error, report.Outcome.Kind);
    }

    [Fact]
    public async Task EachEngineGetsTheObjectsItAcceptsAndIsAccountedFor()
    {
        var rootOnly = new FakeEngine("root-only", (_, _) => ValueTask.FromResult(EngineVerdict.Clean), item => item.Kind == ScanObjectKind.Root);
        var all = FakeEngine.Clean("all");
        var scanner = Scanner([rootOnly, all], new ScanPolicy(), Walk("a.txt", "b.zip", "b.zip › c.exe"));

        var report = await scanner.ScanAsync(Root(), CancellationToken.None);

        Assert.Equal(ScanOutcomeKind.Clean, report.Outcome.Kind);
        Assert.Equal(4, report.ObjectsScanned);
        Assert.Equal(["root-only", "all"], report.Engines.Select(e => e.Engine));
        Assert.Equal(1, report.Engines[0].ObjectsScanned);
        Assert.Equal(4, report.Engines[1].ObjectsScanned);
    }

    [Fact]
    public async Task BytesReadByEnginesAreCountedOncePerObject()
    {
        var reader = new FakeEngine("reader", async (item, token) =>
        {
            await using var stream = await item.Open(token);
            await stream.CopyToAsync(Stream.Null, token);
            return EngineVerdict.Clean;
        });
        var twin = new FakeEngine("twin", async (item, token) =>
        {
            await using var stream = await item.Open(token);
            await stream.CopyToAsync(Stream.Null, token);
            return EngineVerdict.Clean;
        });
        var scanner = Scanner([reader, twin], new ScanPolicy(), Walk("part"));

        var report = await scanner.ScanAsync(Root(), CancellationToken.None);

        Assert.Equal(RootContent.Length + PartContent.Length, report.BytesScanned);
    }

    [Fact]
    public async Task ActiveScansShowProgressDuringAScanAndNothingAfter()
    {
        var reading = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var slowReader = new FakeEngine("slow", async (item, token) =>
        {
            await using var stream = await item.Open(token);
            await stream.ReadExactlyAsync(new byte[10], token);
            reading.SetResult();
            await release.Task.WaitAsync(token);
            return EngineVerdict.Clean;
        });
        var registry = new ActiveScans();
        var scanner = new MultiEngineScanner([slowReader], new ScanPolicy(), Walk(), null, null, registry);

        var scan = scanner.ScanAsync(Root(), CancellationToken.None);
        await reading.Task;
        var during = Assert.Single(registry.List());
        var (name, done, total, current) = (during.Name, during.BytesDone, during.TotalBytes, during.CurrentObject);
        release.SetResult();
        await scan;

        Assert.Equal("message.eml", name);
        Assert.Equal(10, done);
        Assert.Equal(RootContent.Length, total);
        Assert.Equal("message.eml", current);
        Assert.Empty(registry.List());
        Assert.Equal(0, registry.Count);
    }

    [Fact]
    public async Task ACancelledScanLeavesTheRegistry()
    {
        using var cancel = new CancellationTokenSource();
        var reading = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var engine = new FakeEngine("waits", async (_, token) =>
        {
            reading.SetResult();
            await Task.Delay(Timeout.Infinite, token);
            return EngineVerdict.Clean;
        });
        var registry = new ActiveScans();
        var scanner = new MultiEngineScanner([engine], new ScanPolicy(), Walk(), null, null, registry);

        var scan = scanner.ScanAsync(Root(), cancel.Token);
        await reading.Task;
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => scan);
        Assert.Empty(registry.List());
    }

    [Fact]
    public async Task MetricsNameTheEngineAndTheThreat()
    {
        using var meters = new TestMeterFactory();
        using var recorder = new MetricsRecorder(meters);
        var scanner = new MultiEngineScanner([FakeEngine.Finding("a", "Bad.Thing")], new ScanPolicy(), Walk(), null, meters, null);

        await scanner.ScanAsync(Root(), CancellationToken.None);

        Assert.Equal(1, recorder.Sum("detections", ("engine", "a"), ("threat", "Bad.Thing")));
        Assert.Equal(1, recorder.Sum("scans", ("outcome", "infected")));
        Assert.Equal(1, recorder.Count("engine.duration", ("engine", "a")));
    }

    [Fact]
    public void APolicyThatCannotWorkIsRefused()
    {
        Assert.Throws<ArgumentException>(() => new MultiEngineScanner([FakeEngine.Clean("a")], new ScanPolicy { Engines = [new EnginePolicy("clamd")] }));
        Assert.Throws<ArgumentException>(() => new MultiEngineScanner([FakeEngine.Clean("a")], new ScanPolicy { Decision = ScanDecision.Quorum(2) }));
        Assert.Throws<ArgumentException>(() => new MultiEngineScanner([FakeEngine.Clean("a"), FakeEngine.Clean("a")], new ScanPolicy()));
        Assert.Throws<ArgumentException>(() => new MultiEngineScanner([FakeEngine.Clean("a")], new ScanPolicy { EngineTimeout = TimeSpan.Zero }));
    }

    [Fact]
    public void ThePolicyChoosesAndOrdersTheEngines()
    {
        var scanner = new MultiEngineScanner(
            [FakeEngine.Clean("a"), FakeEngine.Clean("b"), FakeEngine.Clean("c")],
            new ScanPolicy { Engines = [new EnginePolicy("c"), new EnginePolicy("a")] });

        Assert.Equal(["c", "a"], scanner.Engines.Select(e => e.Name));
    }

    private static MultiEngineScanner Scanner(IScanEngine[] engines, ScanPolicy policy, ContentWalk walk) =>
        new(engines, policy, walk, null, null, null);

    private static ScanObject Root() => new("message.eml", ScanObjectKind.Root, _ => Open(RootContent)) { Length = RootContent.Length };

    private static ValueTask<Stream> Open(string content) => ValueTask.FromResult<Stream>(new MemoryStream(Encoding.ASCII.GetBytes(content)));

    private static ContentWalk Walk(params string[] children) => Walk(children, []);

    /// <summary>A walk that yields the root, then one MIME part per name, and reports <paramref name="violations"/>.</summary>
    private static ContentWalk Walk(string[] children, LimitViolation[] violations) => (root, found, token) => WalkAsync(root, children, violations, found, token);

    private static async IAsyncEnumerable<ScanObject> WalkAsync(
        ScanObject root, string[] children, LimitViolation[] violations, ICollection<LimitViolation> found, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        yield return root;
        foreach (var child in children)
        {
            await Task.Yield();
            cancellationToken.ThrowIfCancellationRequested();
            yield return new ScanObject($"{root.Path} › {child}", ScanObjectKind.MimePart, _ => Open(PartContent)) { Depth = 1, Length = PartContent.Length };
        }

        foreach (var violation in violations)
        {
            found.Add(violation);
        }
    }

    private static async IAsyncEnumerable<ScanObject> FailingWalk(
        ScanObject root, ICollection<LimitViolation> found, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await Task.Yield();
        if (!cancellationToken.IsCancellationRequested)
        {
            throw new IOException("cannot read the spool file " + root.Path);
        }

        yield break;
    }
}
