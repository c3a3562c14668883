using MimeKit;
using Moat.Trust.Messages;

namespace Moat.Trust.Challenges;

/// <summary>
/// Writes the one short challenge a sender gets: who they wrote to, a short excerpt of their
/// subject, and the two ways to confirm. It never carries the original message, so a forged
/// sender could at worst receive a few harmless lines — and Moat only challenges authenticated ones.
/// </summary>
public sealed class ChallengeComposer(ChallengeOptions options, string defaultDomain)
{
    /// <summary>The domain of challenge addresses.</summary>
    public string Domain => options.Domain ?? defaultDomain;

    public string Address(ChallengeToken token) => $"{options.LocalPart}+{token}@{Domain}";

    public string? Link(ChallengeToken token) =>
        options.PublicUrl is null ? null : $"{options.PublicUrl.TrimEnd('/')}/challenge/{token}";

    public MimeMessage Compose(ChallengeRequest request, ChallengeToken token, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(request);
        var address = Address(token);
        var message = new MimeMessage();
        message.From.Add(new MailboxAddress("Mail confirmation", address));
        message.To.Add(MailboxAddress.Parse(request.Sender));
        message.Subject = $"Please confirm your message to {request.Recipient}";
        message.Date = now;
        message.MessageId = MimeKit.Utils.MimeUtils.GenerateMessageId(Domain);
        // Spam often carries a malformed Message-ID; threading is a nicety, never a reason to fail.
        if (request.MessageId is { Length: > 0 } original)
        {
            try
            {
                message.InReplyTo = original;
            }
            catch (Exception exception) when (exception is ArgumentException or ParseException)
            {
                message.InReplyTo = null;
            }
        }

        // RFC 3834: an automatic answer says so, and other robots (Moat included) must not answer it.
        message.Headers.Add(HeaderId.AutoSubmitted, "auto-replied");
        message.Headers.Add(MessageTraits.ChallengeHeader, "confirm");

        var link = Link(token);
        var how = link is null
            ? "reply to this message; what you write does not matter."
            : $"reply to this message (what you write does not matter) or open this link:\n\n    {link}\n";
        message.Body = new TextPart("plain")
        {
            Text = $"""
                You sent a message to {request.Recipient}{Excerpt(request.Subject)}.

                {request.Recipient} receives mail from new senders once they confirm they are
                real. To confirm, {how}
                You need to do this only once. If you did not send that message, ignore this
                mail: nothing more will be sent to you, and the message will be deleted.
                """,
        };
        return message;
    }

    private string Excerpt(string? subject)
    {
        if (string.IsNullOrWhiteSpace(subject) || options.SubjectExcerptLength <= 0)
        {
            return string.Empty;
        }

        var clean = new string(subject.Where(c => !char.IsControl(c)).ToArray()).Trim();
        if (clean.Length > options.SubjectExcerptLength)
        {
            clean = clean[..options.SubjectExcerptLength].TrimEnd() + "…";
        }

        return $" (subject \"{clean}\")";
    }
}
