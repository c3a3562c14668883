using System.Text.Json.Nodes;
using Moat.Cli.Tests.Support;
using Moat.Testing;

namespace Moat.Cli.Tests.Hosting;

/// <summary>
/// Two gateways that both challenge unknown senders, each delivering the other's domain to the
/// other: a challenge comes from the null sender and says it is automatic, so the receiving
/// gateway never challenges it back. Each sends one challenge and the exchange stops.
/// </summary>
public sealed class TrustLoopEndToEndTests : IAsyncLifetime
{
    private NsdServer? dns;
    private MoatProcess? gatewayA;
    private MoatProcess? gatewayB;
    private JsonObject configurationA = new();
    private JsonObject configurationB = new();

    public async Task InitializeAsync()
    {
        dns = await NsdServer.StartAsync(
            new DnsZone("test"),
            Zone("a.test"),
            Zone("b.test"),
            new DnsZone("0.0.127.in-addr.arpa").Add("3", "PTR", "mx.c.test.").Add("1", "PTR", "localhost."),
            new DnsZone("c.test").A("mx", "127.0.0.3"));
        var portA = FreePort.Get();
        var portB = FreePort.Get();
        configurationA = Gateway("a.test", portA, "b.test", portB);
        configurationB = Gateway("b.test", portB, "a.test", portA);
        gatewayA = await MoatProcess.StartAsync(configurationA);
        gatewayB = await MoatProcess.StartAsync(configurationB);
    }

    public async Task DisposeAsync()
    {
        if (gatewayA is not null)
        {
            await gatewayA.DisposeAsync();
        }

        if (gatewayB is not null)
        {
            await gatewayB.DisposeAsync();
        }

        dns?.Dispose();
    }

    [Fact]
    public async Task TwoChallengingGatewaysStopAfterOneChallengeEach()
    {
        var toA = await Swaks.RunAsync(configurationA.SmtpPort(), "--local-interface", "127.0.0.3", "--helo", "mx.c.test", "--from", "xavier@b.test", "--to", "alice@a.test", "--header", "Subject: hello A");
        var toB = await Swaks.RunAsync(configurationB.SmtpPort(), "--local-interface", "127.0.0.3", "--helo", "mx.c.test", "--from", "yvonne@a.test", "--to", "bob@b.test", "--header", "Subject: hello B");
        Assert.Equal(0, toA.ExitCode);
        Assert.Equal(0, toB.ExitCode);

        // Each gateway ends up holding two messages: the stranger's, and the other's challenge.
        await WaitForHeldAsync(gatewayA!, 2);
        await WaitForHeldAsync(gatewayB!, 2);
        await Task.Delay(TimeSpan.FromSeconds(3));

        Assert.Equal(1, Count(gatewayA!.Output, "challenge sent to"));
        Assert.Equal(1, Count(gatewayB!.Output, "challenge sent to"));
        Assert.Contains("not challenged: null sender", gatewayA.Output);
        Assert.Contains("not challenged: null sender", gatewayB.Output);
    }

    private static DnsZone Zone(string domain) =>
        new DnsZone(domain).Txt("@", "v=spf1 ip4:127.0.0.0/8 -all").Txt("mx", "v=spf1 ip4:127.0.0.0/8 -all").Mx("@", 10, "mx").A("mx", "127.0.0.1");

    private JsonObject Gateway(string domain, int port, string otherDomain, int otherPort)
    {
        var configuration = GatewayConfiguration.Create(port).Route(otherDomain, GatewayConfiguration.SmtpRoute(otherPort));
        configuration["hostName"] = $"mx.{domain}";
        configuration["relay"]!["acceptedDomains"] = new JsonArray(domain);
        configuration["relay"]!["trustedNetworks"] = new JsonArray("192.0.2.0/24");
        configuration["delivery"]!["dnsServers"] = new JsonArray(dns!.NameServer);
        configuration["pipeline"] = new JsonObject { ["order"] = new JsonArray("size", "sender", "relay", "recipient-domains", "trust") };
        configuration["trust"] = new JsonObject { ["unknownSenders"] = "challenge" };
        return configuration;
    }

    private static async Task WaitForHeldAsync(MoatProcess gateway, int count)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            var list = await gateway.RunCommandAsync("queue", "list");
            if (Count(list.StandardOutput, " hold ") >= count)
            {
                return;
            }

            await Task.Delay(200);
        }

        throw new TimeoutException($"{gateway.ConfigFile}: fewer than {count} held messages after 30 s");
    }

    private static int Count(string text, string value) =>
        (text.Length - text.Replace(value, string.Empty, StringComparison.Ordinal).Length) / value.Length;
}
