using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Moat.Queue.Spool;

/// <summary>
/// The envelope file of the spool format before version 2 (content in <c>content/&lt;id&gt;</c>, the
/// envelope in the state folder): a first line "sha256:&lt;hex&gt;" with the checksum of the JSON that
/// follows. Only read, to take over a spool written by an older Moat; Serialize remains for tests
/// that build such a spool.
/// </summary>
internal static class LegacyEnvelopeSerializer
{
    public const string Prefix = "sha256:";

    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter() },
    };

    public static byte[] Serialize(Envelope envelope)
    {
        var json = JsonSerializer.SerializeToUtf8Bytes(envelope, Json);
        var header = Encoding.ASCII.GetBytes(Prefix + Convert.ToHexStringLower(SHA256.HashData(json)) + "\n");
        var result = new byte[header.Length + json.Length];
        header.CopyTo(result, 0);
        json.CopyTo(result, header.Length);
        return result;
    }

    public static Envelope Deserialize(string id, ReadOnlySpan<byte> bytes)
    {
        var newline = bytes.IndexOf((byte)'\n');
        if (newline < 0)
        {
            throw new CorruptMessageException(id, "envelope has no checksum line");
        }

        var header = Encoding.ASCII.GetString(bytes[..newline]);
        var json = bytes[(newline + 1)..];
        if (!header.StartsWith(Prefix, StringComparison.Ordinal))
        {
            throw new CorruptMessageException(id, "envelope checksum line is malformed");
        }

        var expected = header[Prefix.Length..];
        var actual = Convert.ToHexStringLower(SHA256.HashData(json));
        if (!string.Equals(expected, actual, StringComparison.Ordinal))
        {
            throw new CorruptMessageException(id, "envelope checksum mismatch");
        }

        try
        {
            return JsonSerializer.Deserialize<Envelope>(json, Json) ?? throw new CorruptMessageException(id, "envelope is empty");
        }
        catch (JsonException ex)
        {
            throw new CorruptMessageException(id, "envelope cannot be parsed: " + ex.Message);
        }
    }
}
