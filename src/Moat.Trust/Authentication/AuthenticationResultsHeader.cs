using System.Text;

namespace Moat.Trust.Authentication;

/// <summary>
/// Formats an RFC 8601 Authentication-Results value, e.g.
/// <c>mx.example.org; spf=pass smtp.mailfrom=a.test; dkim=pass header.d=a.test header.s=sel; dmarc=pass header.from=a.test</c>.
/// Everything from the message (d=, s=, domains, reasons) is untrusted: values that are not plain
/// MIME tokens are quoted, with backslash escapes, and with control and non-ASCII characters
/// replaced, so the result is always one safe header line.
/// </summary>
public static class AuthenticationResultsHeader
{
    /// <summary>Longest reason text written; reasons are ours, but may quote a MimeKit message.</summary>
    public const int MaxReasonLength = 200;

    private const string TokenSpecials = "()<>@,;:\\\"/[]?=";

    public static string Format(string authServId, SenderAuthentication result)
    {
        ArgumentNullException.ThrowIfNull(authServId);
        ArgumentNullException.ThrowIfNull(result);

        var text = new StringBuilder(Value(authServId));
        text.Append("; spf=").Append(Name(result.Spf.Result));
        if (result.Spf.Domain.Length > 0)
        {
            text.Append(result.SpfIdentity == SpfIdentity.Helo ? " smtp.helo=" : " smtp.mailfrom=").Append(Value(result.Spf.Domain));
        }

        if (result.Dkim.Count == 0)
        {
            text.Append("; dkim=none");
        }

        foreach (var dkim in result.Dkim)
        {
            text.Append("; dkim=").Append(Name(dkim.Result));
            AppendReason(text, dkim.Reason);
            AppendProperty(text, "header.d", dkim.Domain);
            AppendProperty(text, "header.s", dkim.Selector);
        }

        if (result.Dmarc is { } dmarc)
        {
            text.Append("; dmarc=").Append(Name(dmarc.Result));
            AppendProperty(text, "header.from", dmarc.FromDomain);
        }

        return text.ToString();
    }

    private static string Name<T>(T result)
        where T : struct, Enum => result.ToString().ToLowerInvariant();

    /// <summary>reasonspec comes right after the result (RFC 8601 §2.2).</summary>
    private static void AppendReason(StringBuilder text, string? reason)
    {
        if (!string.IsNullOrEmpty(reason))
        {
            var shortened = reason.Length > MaxReasonLength ? reason[..MaxReasonLength] : reason;
            text.Append(" reason=").Append(Quoted(shortened));
        }
    }

    private static void AppendProperty(StringBuilder text, string name, string? value)
    {
        if (!string.IsNullOrEmpty(value))
        {
            text.Append(' ').Append(name).Append('=').Append(Value(value));
        }
    }

    /// <summary>A MIME token as it is; anything else as a quoted-string (RFC 2045 value).</summary>
    internal static string Value(string value) => IsToken(value) ? value : Quoted(value);

    private static bool IsToken(string value) =>
        value.Length > 0 && value.All(c => c is > ' ' and < '\x7f' && !TokenSpecials.Contains(c));

    private static string Quoted(string value)
    {
        var text = new StringBuilder(value.Length + 2).Append('"');
        foreach (var c in value)
        {
            if (c is '"' or '\\')
            {
                text.Append('\\').Append(c);
            }
            else
            {
                // No CR, LF or other controls can break the line; non-ASCII is not allowed unencoded.
                text.Append(c is >= ' ' and < '\x7f' ? c : '?');
            }
        }

        return text.Append('"').ToString();
    }
}
