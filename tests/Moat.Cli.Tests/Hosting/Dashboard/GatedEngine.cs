using Moat.Scanning;
using Moat.Scanning.Engines;

namespace Moat.Cli.Tests.Hosting.Dashboard;

/// <summary>An engine that holds its scan of a root until released, so a test can look at the scan while it runs.</summary>
internal sealed class GatedEngine(string name) : IScanEngine
{
    private readonly TaskCompletionSource entered = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource released = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public string Name { get; } = name;

    public Task Entered => entered.Task;

    public bool Accepts(ScanObject item) => item.Kind == ScanObjectKind.Root;

    public void Release() => released.TrySetResult();

    public async ValueTask<EngineVerdict> ScanAsync(ScanObject item, CancellationToken cancellationToken)
    {
        // Read some of it, so the scan's progress moves.
        await using var stream = await item.Open(cancellationToken);
        await stream.ReadExactlyAsync(new byte[10], cancellationToken);
        entered.TrySetResult();
        await released.Task.WaitAsync(cancellationToken);
        return EngineVerdict.Clean;
    }
}
