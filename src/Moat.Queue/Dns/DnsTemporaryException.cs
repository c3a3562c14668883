namespace Moat.Queue.Dns;

/// <summary>The lookup failed for a reason that may go away (timeout, SERVFAIL): retry later.</summary>
public sealed class DnsTemporaryException(string message, Exception? inner = null) : Exception(message, inner);
