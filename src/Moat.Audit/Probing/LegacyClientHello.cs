using System.Buffers.Binary;
using System.Net;
using System.Security.Cryptography;
using System.Text;

namespace Moat.Audit.Probing;

/// <summary>
/// A hand-made TLS ClientHello offering exactly one old version, and a reader for the first
/// record the server answers with. Used when this machine's TLS library will not offer TLS 1.0
/// or 1.1 itself (OpenSSL 3 refuses below security level 0): the server's answer — a ServerHello
/// for that version or an alert — is all the audit needs; no handshake is completed.
/// </summary>
internal static class LegacyClientHello
{
    public const ushort Tls10 = 0x0301;

    public const ushort Tls11 = 0x0302;

    /// <summary>The suites TLS 1.0/1.1 servers commonly take: ECDHE and DHE with AES-CBC, plain RSA, 3DES, RC4.</summary>
    private static readonly ushort[] CipherSuites =
    [
        0xC014, 0xC00A, 0xC013, 0xC009, // ECDHE-RSA/ECDSA-AES256/128-SHA
        0x0039, 0x0033,                 // DHE-RSA-AES256/128-SHA
        0x0035, 0x002F,                 // AES256/128-SHA
        0xC012, 0x0016, 0x000A,         // 3DES
        0x0005, 0x0004,                 // RC4
    ];

    public static byte[] Build(ushort version, string? serverName)
    {
        var body = new List<byte>();
        AddUInt16(body, version);
        body.AddRange(RandomNumberGenerator.GetBytes(32));
        body.Add(0); // no session id
        AddUInt16(body, (ushort)(CipherSuites.Length * 2));
        foreach (var suite in CipherSuites)
        {
            AddUInt16(body, suite);
        }

        body.Add(1); // compression methods: null only
        body.Add(0);

        var extensions = new List<byte>();
        if (serverName is not null && !IPAddress.TryParse(serverName, out _) && serverName.Length is > 0 and < 256)
        {
            var name = Encoding.ASCII.GetBytes(serverName.TrimEnd('.'));
            AddUInt16(extensions, 0x0000); // server_name
            AddUInt16(extensions, (ushort)(name.Length + 5));
            AddUInt16(extensions, (ushort)(name.Length + 3));
            extensions.Add(0); // host_name
            AddUInt16(extensions, (ushort)name.Length);
            extensions.AddRange(name);
        }

        AddUInt16(extensions, 0x000A); // supported_groups: x25519, secp256r1, secp384r1
        AddUInt16(extensions, 8);
        AddUInt16(extensions, 6);
        AddUInt16(extensions, 0x001D);
        AddUInt16(extensions, 0x0017);
        AddUInt16(extensions, 0x0018);
        AddUInt16(extensions, 0x000B); // ec_point_formats: uncompressed
        AddUInt16(extensions, 2);
        extensions.Add(1);
        extensions.Add(0);
        AddUInt16(extensions, 0xFF01); // renegotiation_info, empty: some servers insist on it
        AddUInt16(extensions, 1);
        extensions.Add(0);
        AddUInt16(body, (ushort)extensions.Count);
        body.AddRange(extensions);

        var record = new List<byte> { 0x16 };
        AddUInt16(record, Tls10); // the record version of a first flight, whatever is offered
        AddUInt16(record, (ushort)(body.Count + 4));
        record.Add(0x01); // ClientHello
        record.Add((byte)(body.Count >> 16));
        record.Add((byte)(body.Count >> 8));
        record.Add((byte)body.Count);
        record.AddRange(body);
        return record.ToArray();
    }

    /// <summary>What the first bytes from the server say about an offer of <paramref name="version"/>.</summary>
    public static LegacyTlsAnswer Classify(ReadOnlySpan<byte> response, ushort version)
    {
        if (response.Length < 5)
        {
            return response.Length > 0 && response[0] is not (0x15 or 0x16) ? LegacyTlsAnswer.NotTls : LegacyTlsAnswer.Incomplete;
        }

        var type = response[0];
        if (type == 0x15)
        {
            return response.Length >= 7 ? LegacyTlsAnswer.Alert : LegacyTlsAnswer.Incomplete;
        }

        if (type != 0x16 || response[1] != 0x03)
        {
            return LegacyTlsAnswer.NotTls;
        }

        // Record header (5), handshake type (1) and length (3), then server_version (2).
        if (response.Length < 11)
        {
            return LegacyTlsAnswer.Incomplete;
        }

        if (response[5] != 0x02)
        {
            return LegacyTlsAnswer.NotTls;
        }

        return BinaryPrimitives.ReadUInt16BigEndian(response[9..]) == version ? LegacyTlsAnswer.ServerHello : LegacyTlsAnswer.OtherVersion;
    }

    /// <summary>True when the bytes start with a handshake record: a ClientHello went out.</summary>
    public static bool IsHandshakeRecord(IReadOnlyList<byte> bytes) => bytes.Count >= 6 && bytes[0] == 0x16 && bytes[1] == 0x03 && bytes[5] == 0x01;

    private static void AddUInt16(List<byte> into, ushort value)
    {
        into.Add((byte)(value >> 8));
        into.Add((byte)value);
    }
}
