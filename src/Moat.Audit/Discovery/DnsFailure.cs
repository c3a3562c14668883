namespace Moat.Audit.Discovery;

/// <summary>A DNS question that got no usable answer (SERVFAIL, REFUSED, timeout): the record's presence is unknown.</summary>
/// <param name="Name">The name asked, e.g. "_dmarc.example.org".</param>
/// <param name="Type">The record type asked, e.g. "TXT".</param>
/// <param name="Message">What went wrong, ready for the report.</param>
public sealed record DnsFailure(DomainRecordKind Kind, string Name, string Type, string Message);
