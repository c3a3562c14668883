using System.Collections.Concurrent;

namespace Moat.Audit.Tests.Discovery;

/// <summary>An <see cref="IProgress{T}"/> that keeps every report, in the order they arrived, on the reporting thread.</summary>
internal sealed class Recorder<T> : IProgress<T>
{
    private readonly ConcurrentQueue<T> values = new();

    public IReadOnlyList<T> Values => values.ToList();

    public void Report(T value) => values.Enqueue(value);
}
