namespace Moat.Trust.Authentication;

/// <summary>
/// The result for one DKIM-Signature header: the signing domain (d=) and selector (s=) when they
/// could be read, and for anything but pass a short reason ("body hash did not verify", "key
/// revoked", …). d= and s= come from the message, so they are untrusted text.
/// </summary>
public sealed record DkimOutcome(DkimResult Result, string? Domain, string? Selector, string? Reason);
