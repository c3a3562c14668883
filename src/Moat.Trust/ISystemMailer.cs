namespace Moat.Trust;

/// <summary>
/// Queues a message Moat itself sends (a challenge, a quarantine digest) with the null envelope
/// sender, so nothing can bounce back to it and no robot answers it.
/// </summary>
public interface ISystemMailer
{
    ValueTask SendAsync(string recipient, Func<Stream, CancellationToken, Task> writeMessage, CancellationToken cancellationToken);
}
