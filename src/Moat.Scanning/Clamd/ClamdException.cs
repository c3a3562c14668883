namespace Moat.Scanning.Clamd;

/// <summary>One clamd host could not answer: refused, timed out, closed the connection or replied nonsense.</summary>
public sealed class ClamdException : Exception
{
    public ClamdException(string message, bool isTimeout = false, Exception? innerException = null)
        : base(message, innerException)
    {
        IsTimeout = isTimeout;
    }

    /// <summary>The host did not connect or answer in time.</summary>
    public bool IsTimeout { get; }
}
