namespace Moat.Bench.Trust.Model;

/// <summary>Where a message held for its sender's confirmation ended up.</summary>
internal enum HeldState
{
    NotHeld,
    Held,

    /// <summary>The sender answered: delivered late.</summary>
    Released,

    /// <summary>Nobody answered within the hold time: deleted without a bounce.</summary>
    Expired,
}
