using System.Text;

namespace Moat.Testing;

/// <summary>
/// A test zone for <see cref="NsdServer"/>. Owner names are relative to the zone ("@" is the apex)
/// or absolute with a trailing dot; SOA and NS records are added automatically.
/// </summary>
public sealed class DnsZone(string name)
{
    /// <summary>RFC 1035: a character-string is a length octet and at most 255 octets.</summary>
    private const int MaxCharacterString = 255;

    private readonly List<string> records = [];

    public string Name { get; } = name.TrimEnd('.');

    public DnsZone Mx(string owner, int preference, string exchange) => Add(owner, "MX", $"{preference} {Absolute(exchange)}");

    /// <summary>RFC 7505 null MX: "MX 0 ." — the domain accepts no mail.</summary>
    public DnsZone NullMx(string owner) => Add(owner, "MX", "0 .");

    public DnsZone A(string owner, string address) => Add(owner, "A", address);

    public DnsZone Aaaa(string owner, string address) => Add(owner, "AAAA", address);

    /// <summary>
    /// A TXT record holding <paramref name="text"/>. A character-string holds at most 255 octets, so
    /// longer text (DKIM keys, long SPF records) is split into several strings, which readers join.
    /// </summary>
    public DnsZone Txt(string owner, string text) => TxtStrings(owner, [.. Chunk(text, MaxCharacterString)]);

    /// <summary>A TXT record made of exactly these character-strings (each at most 255 octets).</summary>
    public DnsZone TxtStrings(string owner, params string[] strings)
    {
        ArgumentOutOfRangeException.ThrowIfZero(strings.Length);
        return Add(owner, "TXT", string.Join(" ", strings.Select(Quote)));
    }

    /// <summary>A PTR record, e.g. ("1.0.0", "host.example.test.") in the zone "127.in-addr.arpa".</summary>
    public DnsZone Ptr(string owner, string target) => Add(owner, "PTR", Absolute(target));

    /// <summary>Any record in zone-file syntax, e.g. ("www", "CNAME", "host.example.test.").</summary>
    public DnsZone Add(string owner, string type, string data)
    {
        records.Add($"{owner} IN {type} {data}");
        return this;
    }

    internal string ToZoneFile()
    {
        var text = new StringBuilder();
        text.Append("$ORIGIN ").Append(Name).Append(".\n");
        text.Append("$TTL 60\n");
        text.Append("@ IN SOA ns.").Append(Name).Append(". hostmaster.").Append(Name).Append(". 1 3600 600 86400 60\n");
        text.Append("@ IN NS ns.").Append(Name).Append(".\n");
        text.Append("ns IN A 127.0.0.1\n");
        foreach (var record in records)
        {
            text.Append(record).Append('\n');
        }

        return text.ToString();
    }

    private string Absolute(string host) => host.EndsWith('.') ? host : host + "." + Name + ".";

    private static string Quote(string text)
    {
        if (Encoding.UTF8.GetByteCount(text) > MaxCharacterString)
        {
            throw new ArgumentException($"a TXT character-string holds at most {MaxCharacterString} octets", nameof(text));
        }

        return "\"" + text.Replace("\\", "\\\\").Replace("\"", "\\\"") + "\"";
    }

    /// <summary>Splits by characters; the records tests publish are ASCII, so characters are octets.</summary>
    private static IEnumerable<string> Chunk(string text, int size)
    {
        if (text.Length == 0)
        {
            yield return text;
        }

        for (var start = 0; start < text.Length; start += size)
        {
            yield return text.Substring(start, Math.Min(size, text.Length - start));
        }
    }
}
