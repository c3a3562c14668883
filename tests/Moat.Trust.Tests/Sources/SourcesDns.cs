using System.Net;
using DnsClient;
using Moat.Testing;

namespace Moat.Trust.Tests.Sources;

/// <summary>
/// One NSD for the source tests, serving forward zones for senders and callout targets and the
/// reverse zones of 127.0.0.x and ::1. Everything resolves to loopback; "unserved.example" is
/// outside every zone, so NSD answers REFUSED — a DNS failure as real as a SERVFAIL.
/// </summary>
public sealed class SourcesDns : IAsyncLifetime
{
    public NsdServer Server { get; private set; } = null!;

    public static string Ipv6LoopbackZone => IPAddress.IPv6Loopback.GetArpaName().TrimEnd('.').Split('.', 2)[1];

    public async Task InitializeAsync()
    {
        var sender = new DnsZone("sender.test")
            .Mx("@", 10, "mx")
            .A("mx", "127.0.0.1")
            .A("mail", "127.0.0.5")
            .A("other", "127.0.0.99")
            .A("multi", "127.0.0.7")
            .Aaaa("mail6", "::1")
            .A("aonly", "127.0.0.1")
            .NullMx("nomail")
            .Txt("txtonly", "v=spf1 -all")
            .A("n12", "127.0.0.12");
        var reverse = new DnsZone("0.0.127.in-addr.arpa")
            .Add("5", "PTR", "mail.sender.test.")
            .Add("6", "PTR", "other.sender.test.")
            .Add("7", "PTR", "gone.sender.test.")
            .Add("7", "PTR", "multi.sender.test.")
            .Add("8", "PTR", "mail.unserved.example.");
        for (var i = 1; i <= 12; i++)
        {
            reverse.Add("12", "PTR", $"n{i:00}.sender.test.");
        }

        var reverse6 = new DnsZone(Ipv6LoopbackZone).Add("1", "PTR", "mail6.sender.test.");
        var callout = new DnsZone("callout.test")
            .Mx("@", 10, "mx")
            .A("mx", "127.0.0.1")
            .A("mx-down", "127.0.0.2")
            .A("aonly", "127.0.0.1")
            .Mx("twomx", 10, "mx-down")
            .Mx("twomx", 20, "mx")
            .NullMx("nullmx")
            .Mx("brokenmx", 10, "mx.unserved.example.");
        Server = await NsdServer.StartAsync(sender, reverse, reverse6, callout);
    }

    public Task DisposeAsync()
    {
        Server.Dispose();
        return Task.CompletedTask;
    }

    /// <summary>A client that asks only our NSD, without a cache, so every test sees the zones as they are.</summary>
    public ILookupClient Client(bool strict = true)
    {
        var options = new LookupClientOptions(new NameServer(IPAddress.Loopback, Server.Port))
        {
            UseCache = false,
            Timeout = TimeSpan.FromSeconds(2),
            Retries = 0,
            UseTcpFallback = true,
        };
        if (strict)
        {
            options.ThrowDnsErrors = false;
            options.ContinueOnDnsError = false;
            options.ContinueOnEmptyResponse = false;
        }

        return new LookupClient(options);
    }

    /// <summary>A client whose server never answers: every lookup fails.</summary>
    public static ILookupClient Unreachable() =>
        new LookupClient(new LookupClientOptions(new NameServer(IPAddress.Loopback, FreePort.Get()))
        {
            UseCache = false,
            Timeout = TimeSpan.FromMilliseconds(200),
            Retries = 0,
        });
}
