namespace Moat.Smtp.Protocol;

/// <summary>
/// A reverse-path or forward-path as the client wrote it, parsed but not judged. The protocol
/// layer records every oddity (source route, quoted local part, address literal) so that relay
/// policy can decide; it never decides itself.
/// </summary>
/// <param name="LocalPart">The local part with quoting removed (so <c>"a@b"@x</c> gives <c>a@b</c>).</param>
/// <param name="Domain">The domain or address literal (with brackets) as written, or null for <c>&lt;&gt;</c> and bare local parts.</param>
/// <param name="Raw">The text between the angle brackets, exactly as received.</param>
/// <param name="SourceRoute">The obsolete source route (<c>@a,@b</c>) that preceded the mailbox, if any.</param>
/// <param name="IsQuoted">The local part was a quoted string.</param>
public sealed record SmtpPath(string LocalPart, string? Domain, string Raw, string? SourceRoute, bool IsQuoted)
{
    public static SmtpPath Null { get; } = new(string.Empty, null, string.Empty, null, false);

    /// <summary>The null reverse-path <c>&lt;&gt;</c> used by bounces.</summary>
    public bool IsNull => LocalPart.Length == 0 && Domain is null;

    /// <summary>The domain is an address literal such as <c>[192.0.2.1]</c> or <c>[IPv6:...]</c>.</summary>
    public bool IsAddressLiteral => Domain is not null && Domain.StartsWith('[');

    /// <summary>The mailbox in <c>local@domain</c> form (quoted again when needed), without any source route.</summary>
    public string Address
    {
        get
        {
            if (IsNull)
            {
                return string.Empty;
            }

            var local = IsQuoted ? "\"" + LocalPart.Replace("\\", "\\\\").Replace("\"", "\\\"") + "\"" : LocalPart;
            return Domain is null ? local : local + "@" + Domain;
        }
    }

    public override string ToString() => "<" + Address + ">";
}
