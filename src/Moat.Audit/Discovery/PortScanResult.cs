namespace Moat.Audit.Discovery;

/// <summary>The open endpoints of a scan and how the other attempts ended.</summary>
public sealed record PortScanResult
{
    /// <summary>Endpoints that accepted a connection, ordered by address then port.</summary>
    public IReadOnlyList<ListenerEndpoint> Open { get; init; } = [];

    public int Attempted { get; init; }

    public int Refused { get; init; }

    public int TimedOut { get; init; }

    public int Unreachable { get; init; }
}
