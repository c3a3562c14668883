namespace Moat.Queue.Dns;

public sealed class DnsOptions
{
    /// <summary>
    /// Name servers as "ip" or "ip:port" ("[v6]:port" for IPv6). Empty: the system resolver's
    /// servers (/etc/resolv.conf).
    /// </summary>
    public List<string> NameServers { get; set; } = [];

    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(5);

    public int Retries { get; set; } = 2;

    /// <summary>Cache answers for their TTL.</summary>
    public bool UseCache { get; set; } = true;
}
