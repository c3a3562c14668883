namespace Moat.Web.Quarantine;

/// <summary>Held mail: what the quarantine pages list, open, release and delete.</summary>
public interface IQuarantine
{
    /// <summary>Every held message, newest first.</summary>
    Task<IReadOnlyList<QuarantinedMessage>> ListAsync(CancellationToken cancellationToken);

    /// <summary>The held message with this queue id, or null when it is not (or no longer) held.</summary>
    Task<QuarantinedMessage?> FindAsync(string id, CancellationToken cancellationToken);

    /// <summary>The raw message; null when it is no longer held.</summary>
    Stream? OpenContent(string id);

    /// <summary>
    /// Returns the message to delivery: for everyone it was sent to, or with
    /// <paramref name="forRecipient"/> for that recipient alone (the others keep it held). With
    /// <paramref name="check"/>, the antivirus scans it again first and a threat or a failed scan
    /// keeps it held.
    /// </summary>
    Task<ReleaseResult> ReleaseAsync(string id, bool check, string? forRecipient, CancellationToken cancellationToken);

    /// <summary>Deletes the message; false when it was not held any more.</summary>
    bool Delete(string id);
}
