using static Moat.Smtp.Protocol.SmtpState;
using static Moat.Smtp.Protocol.SmtpVerb;

namespace Moat.Smtp.Protocol;

/// <summary>
/// The whole legal protocol on one screen: for each state, the verbs allowed and the state a
/// successful command leads to. A verb missing from a state's row is answered 503. A rejected
/// command (4xx/5xx) leaves the state unchanged; the server resets the transaction after
/// DATA, after BDAT LAST and after a failed message, whatever the table says.
/// </summary>
public static class SmtpStateTable
{
    private static readonly Dictionary<SmtpState, Dictionary<SmtpVerb, SmtpState>> Table = new()
    {
        [Connected] = new()
        {
            [Ehlo] = Ready, [Helo] = Ready,
            [Rset] = Connected, [Noop] = Connected, [Quit] = Connected,
            [Vrfy] = Connected, [Expn] = Connected, [Help] = Connected,
        },
        [Ready] = new()
        {
            [Ehlo] = Ready, [Helo] = Ready, [StartTls] = Connected, [Mail] = MailGiven,
            // RFC 4954 §4: AUTH is not allowed during a mail transaction. The server adds the
            // rules the table cannot hold: after EHLO only, over TLS only, once per session.
            [Auth] = Ready,
            [Rset] = Ready, [Noop] = Ready, [Quit] = Ready,
            [Vrfy] = Ready, [Expn] = Ready, [Help] = Ready,
        },
        [MailGiven] = new()
        {
            [Ehlo] = Ready, [Helo] = Ready, [Rcpt] = RcptGiven,
            // DATA/BDAT without a recipient is answered 554 by the server, not 503.
            [Data] = Ready, [Bdat] = Ready,
            [Rset] = Ready, [Noop] = MailGiven, [Quit] = MailGiven,
            [Vrfy] = MailGiven, [Expn] = MailGiven, [Help] = MailGiven,
        },
        [RcptGiven] = new()
        {
            [Ehlo] = Ready, [Helo] = Ready, [Rcpt] = RcptGiven,
            [Data] = Ready, [Bdat] = Chunking,
            [Rset] = Ready, [Noop] = RcptGiven, [Quit] = RcptGiven,
            [Vrfy] = RcptGiven, [Expn] = RcptGiven, [Help] = RcptGiven,
        },
        [Chunking] = new()
        {
            // RFC 3030: only more BDAT chunks (or a reset) may follow a BDAT chunk; DATA may not.
            [Ehlo] = Ready, [Helo] = Ready, [Bdat] = Chunking,
            [Rset] = Ready, [Noop] = Chunking, [Quit] = Chunking, [Help] = Chunking,
        },
    };

    /// <summary>Whether <paramref name="verb"/> is legal in <paramref name="state"/>, and where success leads.</summary>
    public static bool TryGetNext(SmtpState state, SmtpVerb verb, out SmtpState next) =>
        Table[state].TryGetValue(verb, out next);
}
