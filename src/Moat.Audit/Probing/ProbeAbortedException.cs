namespace Moat.Audit.Probing;

/// <summary>A connection can go no further (closed, timed out, over a bound); the message says why, for the report.</summary>
internal sealed class ProbeAbortedException : Exception
{
    public ProbeAbortedException(string message)
        : base(message)
    {
    }

    public ProbeAbortedException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
