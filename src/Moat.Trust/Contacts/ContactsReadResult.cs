namespace Moat.Trust.Contacts;

/// <summary>What a contacts file held: the valid entries without duplicates, and how many values were not valid addresses.</summary>
public sealed record ContactsReadResult(
    IReadOnlyList<ContactEntry> Entries,
    int Invalid,
    ContactsFormat Format,
    bool IsTrustListExport)
{
    /// <summary>The distinct addresses (and, from a trust-list export, domains).</summary>
    public IReadOnlyList<string> Addresses => Entries.Select(e => e.Pattern).Distinct(StringComparer.Ordinal).ToList();
}
