using Moat.Storage.Trust;

namespace Moat.Trust.Lists;

/// <summary>The allow-list entry that covered a sender.</summary>
public sealed record TrustMatch(TrustEntry Entry)
{
    public bool IsOrganisationWide => Entry.Owner == TrustEntry.Organisation;

    public override string ToString() =>
        $"{Entry.Pattern} on the list of {(IsOrganisationWide ? "the organisation" : Entry.Owner)} ({Entry.Source.ToString().ToLowerInvariant()})";
}
