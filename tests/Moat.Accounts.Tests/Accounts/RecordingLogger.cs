using Microsoft.Extensions.Logging;

namespace Moat.Accounts.Tests.Accounts;

/// <summary>Keeps every formatted log line, to check what a service writes (and what it never may).</summary>
internal sealed class RecordingLogger<T> : ILogger<T>
{
    private readonly List<string> lines = [];

    public IReadOnlyList<string> Lines
    {
        get
        {
            lock (lines)
            {
                return [.. lines];
            }
        }
    }

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        lock (lines)
        {
            lines.Add($"{logLevel}: {formatter(state, exception)} {exception}");
        }
    }
}
