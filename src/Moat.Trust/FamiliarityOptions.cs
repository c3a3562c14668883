namespace Moat.Trust;

/// <summary>
/// Thresholds of good mail (authenticated, aligned, accepted) after which an authenticated sender
/// counts as known without being on a list. Zero turns a counter off.
/// </summary>
public sealed class FamiliarityOptions
{
    public bool Enabled { get; set; } = true;

    /// <summary>Good messages from this very address.</summary>
    public long SenderAddressThreshold { get; set; } = 3;

    /// <summary>Good messages from anyone at this domain.</summary>
    public long SenderDomainThreshold { get; set; } = 20;

    /// <summary>Good messages from this client IP address (only counted with an authenticated sender).</summary>
    public long ClientAddressThreshold { get; set; }
}
