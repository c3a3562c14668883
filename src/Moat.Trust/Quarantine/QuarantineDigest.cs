using System.Globalization;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using MimeKit;
using Moat.Trust.Challenges;
using Moat.Trust.Content;
using Moat.Trust.Filter;
using Moat.Trust.Messages;

namespace Moat.Trust.Quarantine;

/// <summary>
/// Tells each user, once per period, which messages the trust filter holds for them (from unknown
/// senders, waiting for their sender's confirmation, or list posts that look like spam), with what
/// to do about them. The digest lists senders and subjects only, never content, and is itself
/// automatic mail.
/// </summary>
public sealed partial class QuarantineDigest(
    IHeldMail heldMail,
    ISystemMailer mailer,
    string hostName,
    TimeProvider? clock = null,
    ILogger<QuarantineDigest>? logger = null,
    Func<string, string, Uri>? releaseLink = null)
{
    private const int MaxListed = 200;

    /// <summary>The hold reasons a digest lists, each with what it says after the message's id.</summary>
    private static readonly (string Reason, string Note)[] Notes =
    [
        (TrustFilter.QuarantineReason, string.Empty),
        (ChallengeService.HoldReason, "  (the sender was asked to confirm)"),
        (ListContentCheck.HoldReason, "  (a list post that looks like spam; releasing it teaches the filter)"),
    ];

    private readonly TimeProvider clock = clock ?? TimeProvider.System;
    private readonly ILogger logger = logger ?? NullLogger<QuarantineDigest>.Instance;

    /// <summary>Sends one digest to every recipient with held mail; returns how many digests were queued.</summary>
    public async ValueTask<int> SendAsync(CancellationToken cancellationToken)
    {
        var held = new List<(HeldMessage Message, string Note)>();
        foreach (var (reason, note) in Notes)
        {
            var messages = await heldMail.ListAsync(reason, cancellationToken).ConfigureAwait(false);
            held.AddRange(messages.Select(m => (m, note)));
        }

        var byRecipient = held
            .SelectMany(item => item.Message.Recipients.Select(r => (Recipient: r.ToLowerInvariant(), item.Message, item.Note)))
            .GroupBy(item => item.Recipient);

        var sent = 0;
        foreach (var group in byRecipient)
        {
            var message = Compose(group.Key, group.Select(g => (g.Message, g.Note)).OrderBy(g => g.Message.ReceivedAt).ToList());
            await mailer.SendAsync(group.Key, (stream, ct) => message.WriteToAsync(stream, ct), cancellationToken).ConfigureAwait(false);
            sent++;
        }

        if (sent > 0)
        {
            LogSent(logger, sent);
        }

        return sent;
    }

    private MimeMessage Compose(string recipient, IReadOnlyList<(HeldMessage Message, string Note)> held)
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"{held.Count} message(s) are being held for you: from senders you have not written to, or posts\nof your mailing lists that look like spam.\n\n");
        foreach (var (message, note) in held.Take(MaxListed))
        {
            var subject = string.IsNullOrWhiteSpace(message.Subject) ? "(no subject)" : Shorten(message.Subject, 70);
            var sender = message.Sender.Length == 0 ? "(bounce)" : message.Sender;
            text.Append(CultureInfo.InvariantCulture, $"- {message.ReceivedAt.UtcDateTime:yyyy-MM-dd HH:mm}Z  {sender}\n    {subject}\n    id {message.Id}{note}\n");
            if (releaseLink is not null)
            {
                text.Append(CultureInfo.InvariantCulture, $"    release: {releaseLink(message.Id, recipient)}\n");
            }
        }

        if (held.Count > MaxListed)
        {
            text.Append(CultureInfo.InvariantCulture, $"\n… and {held.Count - MaxListed} more.\n");
        }

        text.Append(releaseLink is null
            ? "\nTo receive one of them, ask your mail administrator to release it by its id\n(moat queue release ID). Held messages are deleted after a while without notice\nto the sender.\n"
            : "\nTo receive one of them, open its release link (it works once and expires), or log in\nto the quarantine page. Held messages are deleted after a while without notice\nto the sender.\n");

        var digest = new MimeMessage();
        digest.From.Add(new MailboxAddress("Mail quarantine", $"postmaster@{hostName}"));
        digest.To.Add(MailboxAddress.Parse(recipient));
        digest.Subject = $"{held.Count} held message(s)";
        digest.Date = clock.GetUtcNow();
        digest.MessageId = MimeKit.Utils.MimeUtils.GenerateMessageId(hostName);
        digest.Headers.Add(HeaderId.AutoSubmitted, "auto-generated");
        digest.Headers.Add(MessageTraits.ChallengeHeader, "digest");
        digest.Body = new TextPart("plain") { Text = text.ToString() };
        return digest;
    }

    private static string Shorten(string text, int length)
    {
        var clean = new string(text.Where(c => !char.IsControl(c)).ToArray()).Trim();
        return clean.Length <= length ? clean : clean[..length].TrimEnd() + "…";
    }

    [LoggerMessage(EventId = 45, Level = LogLevel.Information, Message = "quarantine digest sent to {Recipients} recipient(s)")]
    private static partial void LogSent(ILogger logger, int recipients);
}
