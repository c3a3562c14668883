namespace Moat.Scanning.Content;

/// <summary>
/// A walk stopped short somewhere. <paramref name="Limit"/> names the reason: "depth", "objects",
/// "total-bytes", "expansion-ratio", "object-bytes", "damaged-archive", "damaged-message".
/// </summary>
public sealed record LimitViolation(string Limit, string Path, string Detail);
