namespace Moat.Storage.Trust;

/// <summary>How an allow-list entry came to be; shown to administrators and kept on export.</summary>
public enum TrustSource
{
    /// <summary>A recipient of mail the owner sent through Moat.</summary>
    Learned,

    /// <summary>Imported from the owner's contacts (CSV, vCard).</summary>
    Contact,

    /// <summary>Added by hand (CLI or web admin).</summary>
    Manual,

    /// <summary>The sender answered a challenge.</summary>
    Challenge,
}
