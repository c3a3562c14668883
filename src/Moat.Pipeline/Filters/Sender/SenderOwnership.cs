namespace Moat.Pipeline.Filters.Sender;

/// <summary>Which envelope senders an authenticated user may use.</summary>
public enum SenderOwnership
{
    /// <summary>Only the address they logged in with.</summary>
    Own,

    /// <summary>Any address in the domain of the address they logged in with.</summary>
    Domain,

    /// <summary>Any address (for example a shared service account that sends for many).</summary>
    Any,
}
