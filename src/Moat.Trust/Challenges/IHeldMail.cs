namespace Moat.Trust.Challenges;

/// <summary>
/// The messages held for a reason (in the queue's hold state). Trust decides what to release;
/// the host, which owns the queue, moves the files.
/// </summary>
public interface IHeldMail
{
    /// <summary>The messages held for <paramref name="reason"/>, oldest first.</summary>
    ValueTask<IReadOnlyList<HeldMessage>> ListAsync(string reason, CancellationToken cancellationToken);

    /// <summary>Releases every message from <paramref name="sender"/> held for <paramref name="reason"/>; returns the recipients of the released messages.</summary>
    ValueTask<IReadOnlyList<string>> ReleaseFromAsync(string sender, string reason, CancellationToken cancellationToken);

    /// <summary>Deletes, without a bounce, the messages held for <paramref name="reason"/> that arrived before <paramref name="before"/>; returns how many.</summary>
    ValueTask<int> DeleteHeldBeforeAsync(string reason, DateTimeOffset before, CancellationToken cancellationToken);
}
