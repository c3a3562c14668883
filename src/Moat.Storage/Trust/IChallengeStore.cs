namespace Moat.Storage.Trust;

/// <summary>Challenges sent and answered, so a sender is challenged at most N times a day and an answer is honoured once.</summary>
public interface IChallengeStore
{
    ValueTask AddAsync(ChallengeRecord challenge, CancellationToken cancellationToken);

    ValueTask<ChallengeRecord?> FindAsync(string id, CancellationToken cancellationToken);

    /// <summary>How many challenges went to <paramref name="sender"/> (lower case) at or after <paramref name="since"/>.</summary>
    ValueTask<int> CountSentSinceAsync(string sender, DateTimeOffset since, CancellationToken cancellationToken);

    /// <summary>Marks the challenge answered; false when it was unknown or already answered.</summary>
    ValueTask<bool> ConfirmAsync(string id, DateTimeOffset confirmed, CancellationToken cancellationToken);

    /// <summary>Challenges not yet answered, newest first (for the admin's "pending challenges").</summary>
    ValueTask<IReadOnlyList<ChallengeRecord>> ListPendingAsync(CancellationToken cancellationToken);

    /// <summary>Forgets challenges sent before <paramref name="before"/>; returns how many.</summary>
    ValueTask<int> RemoveOlderThanAsync(DateTimeOffset before, CancellationToken cancellationToken);
}
