namespace Moat.Web.Quarantine;

/// <summary>What became of a request to release held mail.</summary>
public enum ReleaseResult
{
    /// <summary>Back in the queue for delivery.</summary>
    Released,

    /// <summary>Not held (any more): released, deleted or purged meanwhile.</summary>
    NotHeld,

    /// <summary>Today's antivirus finds a threat in it: it stays held, under that verdict now.</summary>
    ThreatFound,

    /// <summary>The antivirus could not check it just now (an engine failed): it stays held as it was.</summary>
    NotChecked,
}
