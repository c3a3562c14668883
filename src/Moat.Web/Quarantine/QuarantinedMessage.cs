namespace Moat.Web.Quarantine;

/// <summary>One held message as the quarantine pages list it: envelope and subject, never content.</summary>
/// <param name="Reason">Why it is held: the verdict's reason (e.g. "virus: Eicar-Test-Signature", "unknown sender").</param>
public sealed record QuarantinedMessage(
    string Id,
    string Sender,
    IReadOnlyList<string> Recipients,
    string? Subject,
    string Reason,
    DateTimeOffset ReceivedAt,
    long Size)
{
    /// <summary>Everyone whose mail this is: the recipients and the sender, lower case (for the access log).</summary>
    public IReadOnlyList<string> DataSubjects =>
        Recipients.Append(Sender).Where(a => a.Length > 0).Select(a => a.ToLowerInvariant()).Distinct().ToList();

    public bool IsAddressedTo(string address) =>
        Recipients.Any(r => r.Equals(address, StringComparison.OrdinalIgnoreCase));
}
