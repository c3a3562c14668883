namespace Moat.Queue.Dns;

/// <summary>One MX record: preference and exchange host (without trailing dot).</summary>
public sealed record MxHost(int Preference, string Host);
