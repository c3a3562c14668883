namespace Moat.Bench.Trust.Model;

/// <summary>Who really sent a message, as the harness knows and Moat does not.</summary>
internal enum MailCategory
{
    /// <summary>Ham from a person the recipient wrote to before (learned from generated outbound mail).</summary>
    Correspondent,

    /// <summary>Ham from a mailing list or newsletter the recipient subscribed to.</summary>
    Subscription,

    /// <summary>Ham from a person the recipient never wrote to.</summary>
    Stranger,

    /// <summary>Spam as it was delivered in 2002, straight from the spammer.</summary>
    Spam,

    /// <summary>Spam a list the recipient subscribed to distributed (it arrives as the list's mail).</summary>
    ListSpam,

    /// <summary>A spam message whose From and envelope sender were rewritten to a correspondent of the recipient.</summary>
    ForgedSpam,
}
