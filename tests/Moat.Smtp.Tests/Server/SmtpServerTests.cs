using System.Diagnostics.Metrics;
using System.Net;
using Moat.Smtp.Server;
using Moat.Smtp.Tests.Server.Support;

namespace Moat.Smtp.Tests.Server;

public sealed class SmtpServerTests
{
    [Fact]
    public async Task Every_listener_is_bound_in_order_and_serves_the_same_protocol()
    {
        var options = new SmtpServerOptions
        {
            HostName = TestServer.HostName,
            Listeners = [TestServer.Listener("inbound"), TestServer.Listener("submission")],
        };
        await using var server = await TestServer.StartAsync(options);

        Assert.Equal(2, server.Server.BoundEndPoints.Count);
        foreach (var endPoint in server.Server.BoundEndPoints)
        {
            Assert.Equal(IPAddress.Loopback, endPoint.Address);
            Assert.NotEqual(0, endPoint.Port);
            await using var client = await RawSmtpClient.ConnectAsync(endPoint);
            Assert.Equal("220 mx.test ESMTP", await client.ReadReplyLineAsync());
        }

        await WaitForHandlersAsync(server, 2);
        Assert.Equal(["inbound", "submission"], server.Handlers.Handlers.Select(h => h.Session.ListenerName).Order());
    }

    [Fact]
    public async Task Operator_greeting_replaces_the_default_and_nothing_names_the_product()
    {
        var options = new SmtpServerOptions { HostName = TestServer.HostName, Greeting = "mail.example.org ready", Listeners = [TestServer.Listener()] };
        await using var server = await TestServer.StartAsync(options);
        await using var client = await server.ConnectAsync();

        var lines = new List<string> { await client.ReadReplyLineAsync() };
        await client.SendAsync("EHLO client.test\r\nHELO client.test\r\nHELP\r\nFOO\r\nQUIT\r\n");
        lines.AddRange(await client.ReadToEndAsync());

        Assert.Equal("220 mail.example.org ready", lines[0]);
        Assert.DoesNotContain(lines, l => l.Contains("moat", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task Stop_tells_idle_sessions_421_and_waits_for_them()
    {
        var server = await TestServer.StartAsync();
        await using var client = await BadInputTests.GreetedClientAsync(server);

        await server.Server.StopAsync(CancellationToken.None);

        Assert.Equal(["421 4.3.2 Service shutting down"], await client.ReadToEndAsync());
        await server.Handlers.Single.Disposed;
        await server.DisposeAsync();
    }

    [Fact]
    public async Task Stop_lets_a_message_in_flight_finish_first()
    {
        var server = await TestServer.StartAsync();
        await using var client = await BadInputTests.OpenTransactionAsync(server);
        await client.SendAsync("DATA\r\n");
        Assert.Equal("354 End data with <CR><LF>.<CR><LF>", await client.ReadReplyLineAsync());
        await client.SendAsync("Subject: in flight\r\n");

        var stopping = server.Server.StopAsync(CancellationToken.None);
        await client.SendAsync("\r\nbody\r\n.\r\n");

        Assert.Equal(["250 2.0.0 OK queued", "421 4.3.2 Service shutting down"], await client.ReadToEndAsync());
        await stopping;
        Assert.Single(server.Handlers.Single.Messages);
        await server.DisposeAsync();
    }

    [Fact]
    public async Task Stop_drops_sessions_that_do_not_finish_in_time()
    {
        var server = await TestServer.StartAsync();
        await using var client = await BadInputTests.OpenTransactionAsync(server);
        await client.SendAsync("DATA\r\n");
        Assert.Equal("354 End data with <CR><LF>.<CR><LF>", await client.ReadReplyLineAsync());

        using var timeout = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
        await server.Server.StopAsync(timeout.Token);

        Assert.Empty(await client.ReadToEndAsync());
        Assert.Contains("abort", server.Handlers.Single.Events);
        await server.DisposeAsync();
    }

    [Fact]
    public async Task Metrics_count_connections_replies_and_bytes()
    {
        var counts = new Dictionary<string, long>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == SmtpServer.MeterName)
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            var key = instrument.Name;
            foreach (var tag in tags)
            {
                key += $"|{tag.Key}={tag.Value}";
            }

            lock (counts)
            {
                counts[key] = counts.GetValueOrDefault(key) + value;
            }
        });
        listener.Start();

        await using (var server = await TestServer.StartAsync())
        {
            await using var client = await server.ConnectAsync();
            Assert.Equal("220 mx.test ESMTP", await client.ReadReplyLineAsync());
            await client.SendAsync("NOOP\r\nQUIT\r\n");
            Assert.Equal(["250 2.0.0 OK", "221 2.0.0 Bye"], await client.ReadToEndAsync());
            await server.Handlers.Single.Disposed;
        }

        lock (counts)
        {
            Assert.True(counts.GetValueOrDefault("connections|listener=test") >= 1);
            Assert.True(counts.GetValueOrDefault("replies|code=220") >= 1);
            Assert.True(counts.GetValueOrDefault("replies|code=221") >= 1);
            Assert.True(counts.GetValueOrDefault("bytes.received") >= 12);
        }
    }

    private static async Task WaitForHandlersAsync(TestServer server, int count)
    {
        for (var i = 0; i < 200 && server.Handlers.Handlers.Count < count; i++)
        {
            await Task.Delay(10);
        }
    }

    [Fact]
    public void Implicit_tls_without_a_certificate_is_a_configuration_error()
    {
        var options = new SmtpServerOptions { HostName = TestServer.HostName, Listeners = [TestServer.Listener(implicitTls: true)] };

        Assert.Throws<ArgumentException>(() => new SmtpServer(options, new RecordingHandlerFactory(), Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance));
    }
}
