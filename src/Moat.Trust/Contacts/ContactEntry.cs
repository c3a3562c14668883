using Moat.Storage.Trust;

namespace Moat.Trust.Contacts;

/// <summary>
/// One address read from a file, in canonical form. Address books give only the
/// <see cref="Pattern"/>; a Moat trust-list export also gives the owner, source and times,
/// so importing it restores what was exported.
/// </summary>
public sealed record ContactEntry(
    string Pattern,
    string? Owner = null,
    TrustSource? Source = null,
    DateTimeOffset? Added = null,
    DateTimeOffset? Expires = null);
