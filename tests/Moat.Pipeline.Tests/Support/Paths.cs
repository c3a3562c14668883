using Moat.Smtp.Protocol;

namespace Moat.Pipeline.Tests.Support;

/// <summary>Builds <see cref="SmtpPath"/> values the way the protocol layer reports them.</summary>
internal static class Paths
{
    public static SmtpPath Mailbox(string localPart, string? domain, string? sourceRoute = null, bool quoted = false)
    {
        var local = quoted ? "\"" + localPart + "\"" : localPart;
        var address = domain is null ? local : local + "@" + domain;
        var raw = sourceRoute is null ? address : sourceRoute + ":" + address;
        return new SmtpPath(localPart, domain, raw, sourceRoute, quoted);
    }

    /// <summary>Splits a plain <c>local@domain</c> at the last '@'; enough for unquoted test addresses.</summary>
    public static SmtpPath Parse(string address)
    {
        var at = address.LastIndexOf('@');
        return at < 0 ? Mailbox(address, null) : Mailbox(address[..at], address[(at + 1)..]);
    }
}
