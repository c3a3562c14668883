namespace Moat.Audit.Discovery;

/// <summary>How far a port scan has got.</summary>
public sealed record PortScanProgress(int Attempted, int Total, int Open);
