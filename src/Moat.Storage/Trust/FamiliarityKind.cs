namespace Moat.Storage.Trust;

/// <summary>What a familiarity counter counts good mail for.</summary>
public enum FamiliarityKind
{
    SenderAddress,
    SenderDomain,
    ClientAddress,

    /// <summary>An author's delivered posts to one mailing list; the key is "list-address author-address".</summary>
    ListPoster,
}
