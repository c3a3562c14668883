namespace Moat.Trust.Authentication;

/// <summary>A parsed SPF record: its mechanisms in order and the redirect= and exp= domain-specs.</summary>
internal sealed record SpfRecord(IReadOnlyList<SpfMechanism> Mechanisms, string? Redirect, string? Explanation);
