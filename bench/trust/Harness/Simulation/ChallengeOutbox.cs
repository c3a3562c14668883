using MimeKit;
using Moat.Trust;

namespace Moat.Bench.Trust.Simulation;

/// <summary>
/// Where ChallengeService's challenges go instead of the queue: the composed message is parsed
/// back, so an answering sender replies to the very address the challenge carries.
/// </summary>
internal sealed class ChallengeOutbox : ISystemMailer
{
    public int Sent { get; private set; }

    /// <summary>The recipient and reply address of the last challenge sent.</summary>
    public (string Recipient, string ReplyAddress)? Last { get; private set; }

    public async ValueTask SendAsync(string recipient, Func<Stream, CancellationToken, Task> writeMessage, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(writeMessage);
        using var buffer = new MemoryStream();
        await writeMessage(buffer, cancellationToken).ConfigureAwait(false);
        buffer.Position = 0;
        var message = await MimeMessage.LoadAsync(buffer, cancellationToken).ConfigureAwait(false);
        var reply = message.From.Mailboxes.Single().Address;
        Sent++;
        Last = (recipient, reply);
    }
}
