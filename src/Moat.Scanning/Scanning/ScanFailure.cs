namespace Moat.Scanning.Scanning;

/// <summary>Something could not give a verdict for one object.</summary>
/// <param name="Source">The engine's name, or "content" when the content itself could not be walked.</param>
/// <param name="TimedOut">The engine overran its timeout (rather than failing).</param>
/// <param name="FailOpen">The engine is fail-open, so this failure did not change the outcome.</param>
public sealed record ScanFailure(string Source, string ObjectPath, string Reason, bool TimedOut, bool FailOpen)
{
    public override string ToString() => $"{Source} on {ObjectPath}: {(TimedOut ? "timeout: " : string.Empty)}{Reason}";
}
