namespace Moat.Audit.Discovery;

/// <summary>
/// An <see cref="IProgress{T}"/> that calls its handler at once on the reporting thread.
/// <see cref="Progress{T}"/> posts to a captured context instead, which reorders reports.
/// </summary>
internal sealed class InlineProgress<T>(Action<T> handler) : IProgress<T>
{
    public void Report(T value) => handler(value);
}
