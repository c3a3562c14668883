namespace Moat.Trust.Sources;

/// <summary>The probed server broke the SMTP reply syntax or its limits; the probe is inconclusive.</summary>
internal sealed class CalloutProtocolException(string message) : Exception(message);
