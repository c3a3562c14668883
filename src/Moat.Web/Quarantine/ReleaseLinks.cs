using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.WebUtilities;
using Moat.Storage;

namespace Moat.Web.Quarantine;

/// <summary>
/// One-click release links for digest mails: <c>/release/ID.RECIPIENT.EXPIRES.MAC</c>, signed with
/// a key of this installation, so a link cannot be forged or stretched past its expiry and names
/// the one recipient it was sent to. A link works once: releasing moves the message out of the
/// hold state, and the same link then finds nothing to release.
/// </summary>
public sealed class ReleaseLinks(byte[] key, Uri publicUrl, TimeSpan lifetime, TimeProvider clock)
{
    public const string KeyFileName = "release.key";
    private const int MacBytes = 16;

    public static ReleaseLinks Create(string dataDirectory, Uri publicUrl, TimeSpan lifetime, TimeProvider clock) =>
        new(KeyFile.LoadOrCreate(Path.Combine(dataDirectory, KeyFileName), 32, "Delete it to create a new one; release links sent so far stop working."), publicUrl, lifetime, clock);

    /// <summary>The link that releases <paramref name="messageId"/> on behalf of <paramref name="recipient"/>.</summary>
    public Uri Create(string messageId, string recipient)
    {
        var expires = clock.GetUtcNow().Add(lifetime).ToUnixTimeSeconds();
        var payload = $"{messageId}.{WebEncoders.Base64UrlEncode(Encoding.UTF8.GetBytes(recipient.ToLowerInvariant()))}.{expires}";
        return new Uri(publicUrl, "release/" + payload + "." + Sign(payload));
    }

    /// <summary>The message and recipient a valid, unexpired token names; null otherwise.</summary>
    public (string MessageId, string Recipient)? Verify(string token)
    {
        var parts = (token ?? string.Empty).Split('.');
        if (parts.Length != 4 || !long.TryParse(parts[2], out var expires))
        {
            return null;
        }

        var payload = $"{parts[0]}.{parts[1]}.{parts[2]}";
        if (!CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Sign(payload)), Encoding.ASCII.GetBytes(parts[3]))
            || clock.GetUtcNow().ToUnixTimeSeconds() > expires)
        {
            return null;
        }

        try
        {
            return (parts[0], Encoding.UTF8.GetString(WebEncoders.Base64UrlDecode(parts[1])));
        }
        catch (FormatException)
        {
            return null;
        }
    }

    private string Sign(string payload) =>
        WebEncoders.Base64UrlEncode(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(payload)).AsSpan(0, MacBytes));
}
