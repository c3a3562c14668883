using System.Text;
using System.Text.Unicode;

namespace Moat.Smtp.Protocol;

/// <summary>
/// Turns one command line (without its CRLF) into a typed command or a complete error reply.
/// Pure: no I/O, no state beyond the one flag the grammar needs, no policy.
/// </summary>
public static class SmtpCommandParser
{
    private static readonly (byte[] Name, SmtpVerb Verb)[] Verbs =
    [
        ("EHLO"u8.ToArray(), SmtpVerb.Ehlo), ("HELO"u8.ToArray(), SmtpVerb.Helo),
        ("MAIL"u8.ToArray(), SmtpVerb.Mail), ("RCPT"u8.ToArray(), SmtpVerb.Rcpt),
        ("DATA"u8.ToArray(), SmtpVerb.Data), ("BDAT"u8.ToArray(), SmtpVerb.Bdat),
        ("RSET"u8.ToArray(), SmtpVerb.Rset), ("NOOP"u8.ToArray(), SmtpVerb.Noop),
        ("QUIT"u8.ToArray(), SmtpVerb.Quit), ("VRFY"u8.ToArray(), SmtpVerb.Vrfy),
        ("EXPN"u8.ToArray(), SmtpVerb.Expn), ("HELP"u8.ToArray(), SmtpVerb.Help),
        ("STARTTLS"u8.ToArray(), SmtpVerb.StartTls), ("AUTH"u8.ToArray(), SmtpVerb.Auth),
    ];

    /// <param name="line">The command line without its CRLF.</param>
    /// <param name="smtpUtf8Transaction">The current transaction's MAIL carried SMTPUTF8, so RCPT may use UTF-8.</param>
    /// <param name="authAdvertised">The session advertised AUTH, so MAIL may carry AUTH= (RFC 4954 §5); otherwise it is an unknown parameter.</param>
    public static SmtpParseResult Parse(ReadOnlySpan<byte> line, bool smtpUtf8Transaction = false, bool authAdvertised = false)
    {
        var space = line.IndexOf((byte)' ');
        var verbBytes = space < 0 ? line : line[..space];
        var verb = SmtpVerb.Unknown;
        foreach (var (name, candidate) in Verbs)
        {
            if (Ascii.EqualsIgnoreCase(verbBytes, name))
            {
                verb = candidate;
                break;
            }
        }

        if (verb == SmtpVerb.Unknown)
        {
            return SmtpParseResult.Failure(verb, SmtpReplies.CommandNotRecognized);
        }

        var argBytes = space < 0 ? [] : line[(space + 1)..];
        if (!Utf8.IsValid(argBytes) || ContainsControl(argBytes))
        {
            return SmtpParseResult.Failure(verb, SmtpReplies.SyntaxError);
        }

        var argument = Encoding.UTF8.GetString(argBytes).Trim(' ', '\t');
        return verb switch
        {
            SmtpVerb.Ehlo or SmtpVerb.Helo => argument.Length == 0
                ? SmtpParseResult.Failure(verb, SmtpReplies.SyntaxError)
                : SmtpParseResult.Success(new HeloCommand(argument, verb == SmtpVerb.Ehlo)),
            SmtpVerb.Mail => ParseMail(argument, authAdvertised),
            SmtpVerb.Rcpt => ParseRcpt(argument, smtpUtf8Transaction),
            SmtpVerb.Bdat => ParseBdat(argument),
            SmtpVerb.Auth => ParseAuth(argument),
            SmtpVerb.Data or SmtpVerb.Rset or SmtpVerb.Quit or SmtpVerb.StartTls => argument.Length == 0
                ? SmtpParseResult.Success(new SmtpCommand(verb, argument))
                : SmtpParseResult.Failure(verb, SmtpReplies.SyntaxError),
            _ => SmtpParseResult.Success(new SmtpCommand(verb, argument)),
        };
    }

    private static SmtpParseResult ParseMail(string argument, bool authAdvertised)
    {
        const SmtpVerb verb = SmtpVerb.Mail;
        if (!TryStripPrefix(argument, "FROM:", out var position))
        {
            return SmtpParseResult.Failure(verb, SmtpReplies.SyntaxError);
        }

        if (!SmtpPathParser.TryParse(argument, ref position, allowNull: true, allowBareLocalPart: true, out var path))
        {
            return SmtpParseResult.Failure(verb, SmtpReplies.BadSenderSyntax);
        }

        if (!TrySplitParameters(argument, position, out var parameters))
        {
            return SmtpParseResult.Failure(verb, SmtpReplies.SyntaxError);
        }

        long? size = null;
        string? body = null, ret = null, envelopeId = null, authIdentity = null;
        var smtpUtf8 = false;
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (keyword, value) in parameters)
        {
            if (!seen.Add(keyword))
            {
                return SmtpParseResult.Failure(verb, SmtpReplies.SyntaxError);
            }

            var ok = keyword.ToUpperInvariant() switch
            {
                "SIZE" => TryParseNumber(value, out var declared) && (size = declared) is not null,
                "BODY" => TryUpper(value, out body, "7BIT", "8BITMIME"),
                "SMTPUTF8" => value is null && (smtpUtf8 = true),
                "RET" => TryUpper(value, out ret, "FULL", "HDRS"),
                "ENVID" => value is not null && XText.TryDecode(value, out envelopeId!),
                "AUTH" when authAdvertised => TryParseAuthIdentity(value, out authIdentity),
                _ => (bool?)null,
            };
            if (ok is null)
            {
                return SmtpParseResult.Failure(verb, SmtpReplies.UnsupportedParameter);
            }

            if (ok == false)
            {
                return SmtpParseResult.Failure(verb, SmtpReplies.SyntaxError);
            }
        }

        if (!smtpUtf8 && !SmtpPathParser.IsAscii(path))
        {
            return SmtpParseResult.Failure(verb, SmtpReplies.NonAsciiAddressWithoutSmtpUtf8);
        }

        var request = new MailFromRequest(path, size, body, smtpUtf8, ret, envelopeId, authIdentity);
        return SmtpParseResult.Success(new MailCommand(request, argument));
    }

    private static SmtpParseResult ParseRcpt(string argument, bool smtpUtf8Transaction)
    {
        const SmtpVerb verb = SmtpVerb.Rcpt;
        if (!TryStripPrefix(argument, "TO:", out var position))
        {
            return SmtpParseResult.Failure(verb, SmtpReplies.SyntaxError);
        }

        if (!SmtpPathParser.TryParse(argument, ref position, allowNull: false, allowBareLocalPart: true, out var path))
        {
            return SmtpParseResult.Failure(verb, SmtpReplies.BadRecipientSyntax);
        }

        if (!TrySplitParameters(argument, position, out var parameters))
        {
            return SmtpParseResult.Failure(verb, SmtpReplies.SyntaxError);
        }

        string? notify = null, originalRecipient = null;
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (keyword, value) in parameters)
        {
            if (!seen.Add(keyword))
            {
                return SmtpParseResult.Failure(verb, SmtpReplies.SyntaxError);
            }

            var ok = keyword.ToUpperInvariant() switch
            {
                "NOTIFY" => TryParseNotify(value, out notify),
                "ORCPT" => TryParseOriginalRecipient(value, out originalRecipient),
                _ => (bool?)null,
            };
            if (ok is null)
            {
                return SmtpParseResult.Failure(verb, SmtpReplies.UnsupportedParameter);
            }

            if (ok == false)
            {
                return SmtpParseResult.Failure(verb, SmtpReplies.SyntaxError);
            }
        }

        if (!smtpUtf8Transaction && !SmtpPathParser.IsAscii(path))
        {
            return SmtpParseResult.Failure(verb, SmtpReplies.NonAsciiAddressWithoutSmtpUtf8);
        }

        return SmtpParseResult.Success(new RcptCommand(new RcptToRequest(path, notify, originalRecipient), argument));
    }

    private static SmtpParseResult ParseBdat(string argument)
    {
        var parts = argument.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var valid = parts.Length is 1 or 2
            && TryParseNumber(parts[0], out var size)
            && (parts.Length == 1 || parts[1].Equals("LAST", StringComparison.OrdinalIgnoreCase));
        return valid
            ? SmtpParseResult.Success(new BdatCommand(long.Parse(parts[0]), parts.Length == 2, argument))
            : SmtpParseResult.Failure(SmtpVerb.Bdat, SmtpReplies.SyntaxError);
    }

    // RFC 4954 §4: AUTH mechanism [initial-response]. A bad initial response is not a syntax
    // error here: the server first checks that it offers the mechanism at all (504).
    private static SmtpParseResult ParseAuth(string argument)
    {
        var parts = argument.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length is not (1 or 2) || !IsMechanismName(parts[0]))
        {
            return SmtpParseResult.Failure(SmtpVerb.Auth, SmtpReplies.SyntaxError);
        }

        var initialResponse = parts.Length == 2 ? SaslDecoder.DecodeInitialResponse(parts[1]) : null;
        return SmtpParseResult.Success(new AuthCommand(parts[0].ToUpperInvariant(), initialResponse));
    }

    // RFC 4422 §3.1: 1 to 20 of upper-case letters, digits, "-" and "_" (any case accepted).
    private static bool IsMechanismName(string name) =>
        name.Length is >= 1 and <= 20 && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');

    // RFC 4954 §5: AUTH=xtext(addr-spec) or AUTH=<>. Decoded, it must still be printable ASCII:
    // "+0D+0A" must not smuggle a line break into whatever records the identity.
    private static bool TryParseAuthIdentity(string? value, out string? authIdentity)
    {
        authIdentity = null;
        if (value is null || !XText.TryDecode(value, out var decoded) || decoded.Length == 0
            || decoded.Any(c => c is < ' ' or > '~'))
        {
            return false;
        }

        authIdentity = decoded;
        return true;
    }

    // "MAIL FROM:<a@b>" per RFC; a space after the colon is common enough to tolerate.
    private static bool TryStripPrefix(string argument, string prefix, out int position)
    {
        position = 0;
        if (!argument.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        position = prefix.Length;
        while (position < argument.Length && argument[position] == ' ')
        {
            position++;
        }

        return true;
    }

    private static bool TrySplitParameters(string argument, int position, out List<(string Keyword, string? Value)> parameters)
    {
        parameters = [];
        if (position == argument.Length)
        {
            return true;
        }

        if (argument[position] != ' ')
        {
            return false;
        }

        foreach (var parameter in argument[position..].Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = parameter.IndexOf('=');
            var keyword = equals < 0 ? parameter : parameter[..equals];
            var value = equals < 0 ? null : parameter[(equals + 1)..];
            if (!IsKeyword(keyword) || value is { Length: 0 })
            {
                return false;
            }

            parameters.Add((keyword, value));
        }

        return true;
    }

    private static bool IsKeyword(string keyword) =>
        keyword.Length > 0 && char.IsAsciiLetterOrDigit(keyword[0])
        && keyword.All(c => char.IsAsciiLetterOrDigit(c) || c == '-');

    private static bool TryParseNumber(string? text, out long value)
    {
        value = 0;
        return text is { Length: > 0 and <= 18 } && text.All(char.IsAsciiDigit) && long.TryParse(text, out value);
    }

    private static bool TryUpper(string? value, out string? upper, params string[] allowed)
    {
        upper = value?.ToUpperInvariant();
        return upper is not null && allowed.Contains(upper);
    }

    private static bool TryParseNotify(string? value, out string? notify)
    {
        notify = value?.ToUpperInvariant();
        if (notify is null)
        {
            return false;
        }

        if (notify == "NEVER")
        {
            return true;
        }

        var items = notify.Split(',');
        return items.All(item => item is "SUCCESS" or "FAILURE" or "DELAY") && items.Distinct().Count() == items.Length;
    }

    // ORCPT=addr-type ";" xtext (RFC 3461 §4.2); kept as "type;decoded-address".
    private static bool TryParseOriginalRecipient(string? value, out string? originalRecipient)
    {
        originalRecipient = null;
        var semicolon = value?.IndexOf(';') ?? -1;
        if (value is null || semicolon <= 0 || !IsKeyword(value[..semicolon])
            || !XText.TryDecode(value[(semicolon + 1)..], out var address) || address.Length == 0)
        {
            return false;
        }

        originalRecipient = value[..semicolon] + ";" + address;
        return true;
    }

    private static bool ContainsControl(ReadOnlySpan<byte> bytes)
    {
        foreach (var b in bytes)
        {
            if (b is < 0x20 and not (byte)'\t' or 0x7f)
            {
                return true;
            }
        }

        return false;
    }
}
