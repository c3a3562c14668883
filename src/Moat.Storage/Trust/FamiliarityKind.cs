namespace Moat.Storage.Trust;

/// <summary>What a familiarity counter counts good mail for.</summary>
public enum FamiliarityKind
{
    SenderAddress,
    SenderDomain,
    ClientAddress,
}
