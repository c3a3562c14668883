using System.Text;

namespace Moat.Testing;

/// <summary>
/// A test zone for <see cref="NsdServer"/>. Owner names are relative to the zone ("@" is the apex)
/// or absolute with a trailing dot; SOA and NS records are added automatically.
/// </summary>
public sealed class DnsZone(string name)
{
    private readonly List<string> records = [];

    public string Name { get; } = name.TrimEnd('.');

    public DnsZone Mx(string owner, int preference, string exchange) => Add(owner, "MX", $"{preference} {Absolute(exchange)}");

    /// <summary>RFC 7505 null MX: "MX 0 ." — the domain accepts no mail.</summary>
    public DnsZone NullMx(string owner) => Add(owner, "MX", "0 .");

    public DnsZone A(string owner, string address) => Add(owner, "A", address);

    public DnsZone Aaaa(string owner, string address) => Add(owner, "AAAA", address);

    public DnsZone Txt(string owner, string text) => Add(owner, "TXT", "\"" + text.Replace("\\", "\\\\").Replace("\"", "\\\"") + "\"");

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
}
