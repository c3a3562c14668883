namespace Moat.Scanning.Signatures;

/// <summary>
/// An object made signature verification exceed its work budget before any signature matched,
/// so the scan cannot say "clean". The engine turns this into an error verdict.
/// </summary>
public sealed class SignatureScanLimitException : Exception
{
    public SignatureScanLimitException(string message)
        : base(message)
    {
    }
}
