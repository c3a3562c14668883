using System.Buffers;
using System.Buffers.Text;
using System.Diagnostics.CodeAnalysis;
using System.Text;
using System.Text.Unicode;

namespace Moat.Smtp.Protocol;

/// <summary>
/// Decodes the client side of the SASL mechanisms the server speaks: base64 responses
/// (RFC 4954 §4), PLAIN messages (RFC 4616) and LOGIN fields. Pure and strict: anything
/// malformed is refused rather than repaired, so nothing odd reaches the credential check.
/// </summary>
public static class SaslDecoder
{
    /// <summary>
    /// The longest user name, password or authorisation identity accepted, in UTF-8 bytes.
    /// RFC 4616 asks for at least 255; more is room for long passphrases, and the bound keeps
    /// what a client can make the credential check hash small.
    /// </summary>
    public const int MaxFieldBytes = 1024;

    private static readonly SearchValues<byte> ForbiddenInField = SearchValues.Create([0, (byte)'\r', (byte)'\n']);

    private static readonly SearchValues<byte> Base64Alphabet =
        SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"u8);

    /// <summary>The mechanisms this decoder understands, upper-case.</summary>
    public static IReadOnlyList<string> SupportedMechanisms { get; } = ["PLAIN", "LOGIN"];

    /// <summary>A line sent after a 334 challenge: "*" cancels, anything else must be base64 (an empty line is an empty response).</summary>
    public static SaslResponse DecodeResponse(ReadOnlySpan<byte> line) =>
        line.SequenceEqual("*"u8) ? SaslResponse.Cancelled
        : TryDecodeBase64(line, out var data) ? SaslResponse.FromData(data)
        : SaslResponse.Malformed;

    /// <summary>The initial response on the AUTH line: "=" is an empty response (RFC 4954 §4), anything else must be base64.</summary>
    public static SaslResponse DecodeInitialResponse(string text)
    {
        if (text == "=")
        {
            return SaslResponse.Empty;
        }

        if (!Ascii.IsValid(text))
        {
            return SaslResponse.Malformed;
        }

        return TryDecodeBase64(Encoding.ASCII.GetBytes(text), out var data) ? SaslResponse.FromData(data) : SaslResponse.Malformed;
    }

    /// <summary>
    /// RFC 4616: <c>[authzid] NUL authcid NUL passwd</c>. The authorisation identity may be
    /// empty (it then is <see cref="string.Empty"/>); the others may not.
    /// </summary>
    public static bool TryDecodePlain(
        ReadOnlySpan<byte> message,
        [NotNullWhen(true)] out string? authorizationId,
        [NotNullWhen(true)] out string? userName,
        [NotNullWhen(true)] out string? password)
    {
        authorizationId = userName = password = null;
        var first = message.IndexOf((byte)0);
        if (first < 0)
        {
            return false;
        }

        var rest = message[(first + 1)..];
        var second = rest.IndexOf((byte)0);
        if (second < 0)
        {
            return false;
        }

        var authzid = message[..first];
        string? decodedAuthzid = string.Empty;
        if (!authzid.IsEmpty && !TryDecodeField(authzid, out decodedAuthzid))
        {
            return false;
        }

        // A third NUL lands in the password, which TryDecodeField refuses.
        if (!TryDecodeField(rest[..second], out var decodedUser) || !TryDecodeField(rest[(second + 1)..], out var decodedPassword))
        {
            return false;
        }

        (authorizationId, userName, password) = (decodedAuthzid, decodedUser, decodedPassword);
        return true;
    }

    /// <summary>
    /// One credential field: 1 to <see cref="MaxFieldBytes"/> bytes of valid UTF-8 without NUL,
    /// CR or LF (a line break in a user name could forge log lines or headers downstream).
    /// </summary>
    public static bool TryDecodeField(ReadOnlySpan<byte> bytes, [NotNullWhen(true)] out string? value)
    {
        value = null;
        if (bytes.IsEmpty || bytes.Length > MaxFieldBytes || bytes.IndexOfAny(ForbiddenInField) >= 0 || !Utf8.IsValid(bytes))
        {
            return false;
        }

        value = Encoding.UTF8.GetString(bytes);
        return true;
    }

    // RFC 4648 §4 with padding and nothing else: the runtime decoder also skips white space,
    // which would let two clients' spellings of the same secret differ.
    private static bool TryDecodeBase64(ReadOnlySpan<byte> text, out byte[] data)
    {
        data = [];
        if (text.Length % 4 != 0)
        {
            return false;
        }

        var padding = text.EndsWith("=="u8) ? 2 : text.EndsWith("="u8) ? 1 : 0;
        if (text[..^padding].ContainsAnyExcept(Base64Alphabet))
        {
            return false;
        }

        var decoded = new byte[text.Length / 4 * 3 - padding];
        var status = Base64.DecodeFromUtf8(text, decoded, out _, out var written);
        if (status != OperationStatus.Done || written != decoded.Length)
        {
            return false;
        }

        data = decoded;
        return true;
    }
}
