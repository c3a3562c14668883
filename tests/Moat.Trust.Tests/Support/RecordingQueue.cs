using MimeKit;
using Moat.Trust;
using Moat.Trust.Challenges;

namespace Moat.Trust.Tests.Support;

/// <summary>The queue side of trust (sending and held mail), recording what it was asked; for tests of the bookkeeping only.</summary>
public sealed class RecordingQueue : ISystemMailer, IHeldMail
{
    public List<MimeMessage> Sent { get; } = [];

    public IReadOnlyList<string> HeldRecipients { get; set; } = [];

    public int Releases { get; private set; }

    public async ValueTask SendAsync(string recipient, Func<Stream, CancellationToken, Task> writeMessage, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        await writeMessage(buffer, cancellationToken);
        buffer.Position = 0;
        Sent.Add(await MimeMessage.LoadAsync(buffer, cancellationToken));
    }

    public List<(string Reason, HeldMessage Message)> Held { get; } = [];

    public ValueTask<IReadOnlyList<HeldMessage>> ListAsync(string reason, CancellationToken cancellationToken) =>
        ValueTask.FromResult<IReadOnlyList<HeldMessage>>(Held.Where(h => h.Reason == reason).Select(h => h.Message).ToList());

    public ValueTask<IReadOnlyList<string>> ReleaseFromAsync(string sender, string reason, CancellationToken cancellationToken)
    {
        Releases++;
        return ValueTask.FromResult(HeldRecipients);
    }

    public ValueTask<int> DeleteHeldBeforeAsync(string reason, DateTimeOffset before, CancellationToken cancellationToken) => ValueTask.FromResult(0);
}
