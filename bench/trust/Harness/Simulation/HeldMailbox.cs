using Moat.Bench.Trust.Model;
using Moat.Trust.Challenges;

namespace Moat.Bench.Trust.Simulation;

/// <summary>
/// The queue's hold state for the simulation, with the matching rules of the gateway's
/// QueueHeldMail (envelope sender compared without case, hold reason exact), recording on each
/// message whether it was released or expired.
/// </summary>
internal sealed class HeldMailbox : IHeldMail
{
    private readonly List<HeldItem> held = [];

    public void Hold(InboundMail mail, string reason)
    {
        ArgumentNullException.ThrowIfNull(mail);
        mail.Held = HeldState.Held;
        held.Add(new HeldItem(mail.Source.ToString() + "#" + mail.Order, mail, mail.EnvelopeSender, mail.Recipient, reason, mail.Arrived));
    }

    public ValueTask<IReadOnlyList<HeldMessage>> ListAsync(string reason, CancellationToken cancellationToken) =>
        ValueTask.FromResult<IReadOnlyList<HeldMessage>>(held
            .Where(h => h.Reason == reason)
            .Select(h => new HeldMessage(h.Id, h.Sender, [h.Recipient], h.Mail.Headers["Subject"], h.Arrived))
            .ToList());

    public ValueTask<IReadOnlyList<string>> ReleaseFromAsync(string sender, string reason, CancellationToken cancellationToken)
    {
        var released = held.Where(h => h.Reason == reason && h.Sender.Equals(sender, StringComparison.OrdinalIgnoreCase)).ToList();
        foreach (var item in released)
        {
            item.Mail.Held = HeldState.Released;
            held.Remove(item);
        }

        return ValueTask.FromResult<IReadOnlyList<string>>(released.Select(h => h.Recipient).ToList());
    }

    public ValueTask<int> DeleteHeldBeforeAsync(string reason, DateTimeOffset before, CancellationToken cancellationToken)
    {
        var expired = held.Where(h => h.Reason == reason && h.Arrived < before).ToList();
        foreach (var item in expired)
        {
            item.Mail.Held = HeldState.Expired;
            held.Remove(item);
        }

        return ValueTask.FromResult(expired.Count);
    }
}
