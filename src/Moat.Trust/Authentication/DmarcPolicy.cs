namespace Moat.Trust.Authentication;

/// <summary>What a domain owner asks receivers to do with mail that fails DMARC (p=, sp=).</summary>
public enum DmarcPolicy
{
    None,
    Quarantine,
    Reject,
}
