namespace Moat.Trust.Authentication;

/// <summary>A DNS failure (not "no record") while looking for DMARC records: the result is temperror.</summary>
internal sealed class DmarcLookupException(string message) : Exception(message);
