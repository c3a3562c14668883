using Moat.Queue.Delivery;
using Moat.Queue.Dns;
using Moat.Queue.Spool;
using Moat.Testing;

namespace Moat.Queue.Tests.Delivery;

/// <summary>MX routing against a real DNS server (NSD) and a real SMTP server (aiosmtpd), all on loopback.</summary>
public sealed class MxDeliveryTests : IDisposable
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);
    private readonly TempFolder folder = new();
    private readonly MessageSpool spool;

    public MxDeliveryTests()
    {
        spool = new MessageSpool(TestQueue.Options(folder));
    }

    public void Dispose() => folder.Dispose();

    [Fact]
    public async Task Tries_mx_hosts_in_preference_order_and_skips_one_that_refuses()
    {
        using var smtp = await AioSmtpdServer.StartAsync();

        // Preference 5 has no server listening (127.0.0.2 is loopback, but aiosmtpd binds 127.0.0.1
        // only), preference 10 works, preference 20 would work too but must not be needed.
        using var nsd = await NsdServer.StartAsync(new DnsZone("dest.test")
            .Mx("@", 20, "backup").A("backup", "127.0.0.1")
            .Mx("@", 5, "down").A("down", "127.0.0.2")
            .Mx("@", 10, "primary").A("primary", "127.0.0.1"));
        await using var agent = Agent(nsd, smtp.Port);

        var results = await DeliverAsync(agent, smtp.Port, "dest.test", "a@dest.test");

        Assert.Equal(DeliveryOutcome.Delivered, Assert.Single(results).Outcome);
        Assert.Single(await smtp.WaitForMessagesAsync(1, Wait));
        Assert.Equal(1, agent.ConnectionsOpened);
    }

    [Fact]
    public async Task A_host_with_a_4xx_greeting_is_skipped_for_the_next_mx()
    {
        using var smtp = await AioSmtpdServer.StartAsync();

        // Same port on another loopback address: a server that greets with 421 and hangs up.
        var busy = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Parse("127.0.0.3"), smtp.Port);
        busy.Start();
        var greeted = Task.Run(async () =>
        {
            using var client = await busy.AcceptTcpClientAsync();
            await client.GetStream().WriteAsync("421 4.3.2 busy, try later\r\n"u8.ToArray());
        });
        try
        {
            using var nsd = await NsdServer.StartAsync(new DnsZone("dest.test")
                .Mx("@", 10, "busy").A("busy", "127.0.0.3")
                .Mx("@", 20, "ok").A("ok", "127.0.0.1"));
            await using var agent = Agent(nsd, smtp.Port);

            var results = await DeliverAsync(agent, smtp.Port, "dest.test", "a@dest.test");

            Assert.Equal(DeliveryOutcome.Delivered, Assert.Single(results).Outcome);
            await greeted;
            Assert.Single(await smtp.WaitForMessagesAsync(1, Wait));
        }
        finally
        {
            busy.Stop();
        }
    }

    [Fact]
    public async Task Without_mx_the_domain_address_is_used()
    {
        using var smtp = await AioSmtpdServer.StartAsync();
        using var nsd = await NsdServer.StartAsync(new DnsZone("dest.test").A("@", "127.0.0.1"));
        await using var agent = Agent(nsd, smtp.Port);

        var results = await DeliverAsync(agent, smtp.Port, "dest.test", "a@dest.test");

        Assert.Equal(DeliveryOutcome.Delivered, Assert.Single(results).Outcome);
        Assert.Equal(["a@dest.test"], Assert.Single(await smtp.WaitForMessagesAsync(1, Wait)).Recipients);
    }

    [Fact]
    public async Task Null_mx_missing_domain_and_no_address_fail_permanently()
    {
        using var nsd = await NsdServer.StartAsync(
            new DnsZone("nomail.test").NullMx("@").A("@", "127.0.0.1"),
            new DnsZone("empty.test").Txt("@", "nothing here"));
        var port = FreePort.Get();
        await using var agent = Agent(nsd, port);

        var nullMx = Assert.Single(await DeliverAsync(agent, port, "nomail.test", "a@nomail.test"));
        Assert.Equal(DeliveryOutcome.Failed, nullMx.Outcome);
        Assert.StartsWith("556 5.1.10", nullMx.Reply, StringComparison.Ordinal);

        var missing = Assert.Single(await DeliverAsync(agent, port, "missing.empty.test", "a@missing.empty.test"));
        Assert.Equal(DeliveryOutcome.Failed, missing.Outcome);
        Assert.StartsWith("550 5.1.2", missing.Reply, StringComparison.Ordinal);

        var noAddress = Assert.Single(await DeliverAsync(agent, port, "empty.test", "a@empty.test"));
        Assert.Equal(DeliveryOutcome.Failed, noAddress.Outcome);
    }

    [Fact]
    public async Task All_mx_hosts_unreachable_defers()
    {
        using var nsd = await NsdServer.StartAsync(new DnsZone("dest.test").Mx("@", 10, "down").A("down", "127.0.0.2"));
        var port = FreePort.Get();
        await using var agent = Agent(nsd, port);

        var result = Assert.Single(await DeliverAsync(agent, port, "dest.test", "a@dest.test"));

        Assert.Equal(DeliveryOutcome.Deferred, result.Outcome);
        Assert.StartsWith("451 4.4.1", result.Reply, StringComparison.Ordinal);
    }

    [Fact]
    public void Equal_preferences_are_shuffled_but_never_before_a_better_one()
    {
        var hosts = new[] { new MxHost(20, "c"), new MxHost(10, "a"), new MxHost(10, "b"), new MxHost(30, "d") };
        var seen = new HashSet<string>();
        for (var i = 0; i < 200; i++)
        {
            var order = SmtpDeliveryAgent.OrderMxHosts(hosts);
            Assert.Equal(["c", "d"], order.Skip(2));
            seen.Add(string.Join(",", order.Take(2)));
        }

        Assert.Equal(["a,b", "b,a"], seen.Order());
    }

    private static SmtpDeliveryAgent Agent(NsdServer nsd, int port)
    {
        var options = new QueueOptions { Hostname = "gw.test" };
        options.Dns.NameServers = [nsd.NameServer];
        options.Delivery.ConnectTimeout = TimeSpan.FromSeconds(5);
        return new SmtpDeliveryAgent(options, new DnsClientResolver(options.Dns));
    }

    private async Task<IReadOnlyList<RecipientResult>> DeliverAsync(SmtpDeliveryAgent agent, int port, string domain, string recipient)
    {
        var id = await TestQueue.CommitAsync(spool, TestQueue.Message(), TestQueue.Envelope("s@origin.test", recipient));
        var envelope = await spool.ReadEnvelopeAsync(QueueState.Incoming, id, CancellationToken.None);
        var route = new RouteOptions { Type = RouteType.Mx, Port = port, Tls = TlsMode.Opportunistic };
        return await agent.DeliverAsync(new DeliveryRequest(envelope, envelope.Recipients, route, domain, spool.GetContent(QueueState.Incoming, envelope)), CancellationToken.None);
    }
}
