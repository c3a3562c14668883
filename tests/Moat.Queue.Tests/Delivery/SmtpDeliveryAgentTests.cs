using System.Text;
using Moat.Queue.Delivery;
using Moat.Queue.Dns;
using Moat.Queue.Spool;
using Moat.Testing;

namespace Moat.Queue.Tests.Delivery;

public sealed class SmtpDeliveryAgentTests : IDisposable
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);
    private readonly TempFolder folder = new();
    private readonly QueueOptions options;
    private readonly MessageSpool spool;

    public SmtpDeliveryAgentTests()
    {
        options = TestQueue.Options(folder);
        spool = new MessageSpool(options);
    }

    public void Dispose() => folder.Dispose();

    [Fact]
    public async Task Content_arrives_byte_identical_with_envelope_and_dot_lines()
    {
        using var server = await AioSmtpdServer.StartAsync();
        var content = Encoding.UTF8.GetBytes(
            "From: <sender@origin.test>\r\nMIME-Version: 1.0\r\nContent-Type: text/plain;\r\n charset=us-ascii\r\nTo: <a@dest.test>\r\nSubject: dots\r\nX-Folded: one\r\n\ttwo\r\nContent-Transfer-Encoding: 7bit\r\nX-Last:  spaced  \r\n\r\n" +
            ".leading dot\r\n..two dots\r\n.\r\nlast line without dot\r\n");
        var results = await DeliverAsync(server.Port, content, TestQueue.Envelope("sender@origin.test", "a@dest.test", "b@dest.test"));

        Assert.All(results, r => Assert.Equal(DeliveryOutcome.Delivered, r.Outcome));
        var message = Assert.Single(await server.WaitForMessagesAsync(1, Wait));
        Assert.Equal(content, message.Content);
        Assert.Equal("sender@origin.test", message.MailFrom);
        Assert.Equal(["a@dest.test", "b@dest.test"], message.Recipients);
        Assert.Equal("gw.test", message.Helo);
    }

    [Fact]
    public async Task Non_mime_content_without_final_newline_arrives_unchanged_plus_line_end()
    {
        using var server = await AioSmtpdServer.StartAsync();
        var content = Encoding.ASCII.GetBytes("Subject: plain\r\nContent-Type: text/odd\r\n\r\nno final newline");
        await DeliverAsync(server.Port, content, TestQueue.Envelope("s@origin.test", "a@dest.test"));

        var message = Assert.Single(await server.WaitForMessagesAsync(1, Wait));
        Assert.Equal([.. content, (byte)'\r', (byte)'\n'], message.Content);
    }

    [Theory]
    [InlineData("\r\nbody only, no header fields\r\n", null)]
    [InlineData("Subject: trailing spaces   \r\nX-Tab:\tvalue\r\nX-Empty:\r\n\r\nbody\r\n", null)]
    [InlineData("Subject: bare\nX-LF: lines\n\nbody with bare LF\n", "Subject: bare\r\nX-LF: lines\r\n\r\nbody with bare LF\r\n")]
    [InlineData("junk line without colon\r\nSubject: x\r\n\r\nbody\r\n", "\r\njunk line without colon\r\nSubject: x\r\n\r\nbody\r\n")]
    [InlineData("From someone Sat Nov 28 09:00:00 2026\r\nSubject: mbox\r\n\r\nbody\r\n", "\r\nFrom someone Sat Nov 28 09:00:00 2026\r\nSubject: mbox\r\n\r\nbody\r\n")]
    public async Task Odd_content_arrives_unchanged_or_minimally_repaired(string text, string? expected)
    {
        using var server = await AioSmtpdServer.StartAsync();
        var content = Encoding.UTF8.GetBytes(text);
        var results = await DeliverAsync(server.Port, content, TestQueue.Envelope("s@origin.test", "a@dest.test"));

        Assert.Equal(DeliveryOutcome.Delivered, Assert.Single(results).Outcome);
        Assert.Equal(expected ?? text, Encoding.UTF8.GetString(Assert.Single(await server.WaitForMessagesAsync(1, Wait)).Content));
    }

    [Fact]
    public async Task Null_sender_is_sent_as_empty_reverse_path()
    {
        using var server = await AioSmtpdServer.StartAsync();
        var results = await DeliverAsync(server.Port, TestQueue.Message(), TestQueue.Envelope(string.Empty, "a@dest.test"));

        Assert.Equal(DeliveryOutcome.Delivered, Assert.Single(results).Outcome);
        Assert.Equal(string.Empty, Assert.Single(await server.WaitForMessagesAsync(1, Wait)).MailFrom);
    }

    [Fact]
    public async Task Eight_bit_content_is_sent_unchanged_with_8bitmime()
    {
        using var server = await AioSmtpdServer.StartAsync();
        var content = Encoding.UTF8.GetBytes("Subject: =?utf-8?q?x?=\r\nX-Raw: Gr\u00fc\u00dfe \u2014 raw UTF-8\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\nGr\u00fc\u00dfe aus M\u00fcnchen\r\n");
        await DeliverAsync(server.Port, content, TestQueue.Envelope("s@origin.test", "a@dest.test"));

        var message = Assert.Single(await server.WaitForMessagesAsync(1, Wait));
        Assert.Equal(content, message.Content);
        Assert.Contains("BODY=8BITMIME", message.MailOptions);
    }

    [Fact]
    public async Task Each_recipient_gets_its_own_reply()
    {
        using var server = await AioSmtpdServer.StartAsync(new AioSmtpdOptions()
            .RejectRecipient("bad@dest.test", "550 5.1.1 no such user")
            .TempFailRecipient("later@dest.test", times: 5));
        var results = await DeliverAsync(server.Port, TestQueue.Message(), TestQueue.Envelope("s@origin.test", "good@dest.test", "bad@dest.test", "later@dest.test"));

        Assert.Equal(DeliveryOutcome.Delivered, results.Single(r => r.Recipient.Address == "good@dest.test").Outcome);
        var bad = results.Single(r => r.Recipient.Address == "bad@dest.test");
        Assert.Equal(DeliveryOutcome.Failed, bad.Outcome);
        Assert.Equal("550 5.1.1 no such user", bad.Reply);
        Assert.Equal(DeliveryOutcome.Deferred, results.Single(r => r.Recipient.Address == "later@dest.test").Outcome);
        Assert.Equal(["good@dest.test"], Assert.Single(await server.WaitForMessagesAsync(1, Wait)).Recipients);
    }

    [Fact]
    public async Task All_recipients_rejected_leaves_the_connection_usable()
    {
        using var server = await AioSmtpdServer.StartAsync(new AioSmtpdOptions().RejectRecipient("bad@dest.test"));
        await using var agent = new SmtpDeliveryAgent(options, new DnsClientResolver(options.Dns));

        var first = await DeliverAsync(agent, server.Port, TestQueue.Message(), TestQueue.Envelope("s@origin.test", "bad@dest.test"));
        var second = await DeliverAsync(agent, server.Port, TestQueue.Message(), TestQueue.Envelope("s@origin.test", "good@dest.test"));

        Assert.Equal(DeliveryOutcome.Failed, Assert.Single(first).Outcome);
        Assert.Equal(DeliveryOutcome.Delivered, Assert.Single(second).Outcome);
        Assert.Equal(1, agent.ConnectionsOpened);
    }

    [Fact]
    public async Task Rejected_data_applies_to_every_accepted_recipient()
    {
        var serverOptions = new AioSmtpdOptions();
        serverOptions.DataReplies.Add("554 5.7.1 content rejected");
        using var server = await AioSmtpdServer.StartAsync(serverOptions);
        var results = await DeliverAsync(server.Port, TestQueue.Message(), TestQueue.Envelope("s@origin.test", "a@dest.test", "b@dest.test"));

        Assert.All(results, r =>
        {
            Assert.Equal(DeliveryOutcome.Failed, r.Outcome);
            Assert.Equal("554 5.7.1 content rejected", r.Reply);
        });
    }

    [Fact]
    public async Task Refused_connection_defers()
    {
        var port = FreePort.Get();
        var results = await DeliverAsync(port, TestQueue.Message(), TestQueue.Envelope("s@origin.test", "a@dest.test"));

        var result = Assert.Single(results);
        Assert.Equal(DeliveryOutcome.Deferred, result.Outcome);
        Assert.StartsWith("451 4.4.1", result.Reply, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Connections_are_reused_for_the_same_destination()
    {
        using var server = await AioSmtpdServer.StartAsync();
        await using var agent = new SmtpDeliveryAgent(options, new DnsClientResolver(options.Dns));
        for (var i = 0; i < 4; i++)
        {
            var results = await DeliverAsync(agent, server.Port, TestQueue.Message("m" + i), TestQueue.Envelope("s@origin.test", "a@dest.test"));
            Assert.Equal(DeliveryOutcome.Delivered, Assert.Single(results).Outcome);
        }

        var messages = await server.WaitForMessagesAsync(4, Wait);
        Assert.Single(messages.Select(m => m.PeerPort).Distinct());
        Assert.Equal(1, agent.ConnectionsOpened);
    }

    [Fact]
    public async Task Smtp_sink_receives_the_message()
    {
        using var sink = await SmtpSinkServer.StartAsync();
        var results = await DeliverAsync(sink.Port, TestQueue.Message("to the sink", "..dotted\r\nplain\r\n"), TestQueue.Envelope("s@origin.test", "a@dest.test", "b@dest.test"));

        Assert.All(results, r => Assert.Equal(DeliveryOutcome.Delivered, r.Outcome));
        var dump = Assert.Single(await sink.WaitForMessagesAsync(1, Wait));
        Assert.Equal("s@origin.test", dump.MailFrom);
        Assert.Equal(["a@dest.test", "b@dest.test"], dump.Recipients);
        Assert.Contains("Subject: to the sink\n", dump.Body, StringComparison.Ordinal);
        Assert.Contains("\n\n..dotted\nplain\n", dump.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_relay_given_by_name_is_found_through_the_system_resolver()
    {
        using var server = await AioSmtpdServer.StartAsync();
        await using var agent = new SmtpDeliveryAgent(options, new DnsClientResolver(options.Dns));
        var id = await TestQueue.CommitAsync(spool, TestQueue.Message(), TestQueue.Envelope("s@origin.test", "a@dest.test"));
        var stored = await spool.ReadEnvelopeAsync(QueueState.Incoming, id, CancellationToken.None);
        var route = TestQueue.SmtpRoute("dest.test", "localhost", server.Port);

        var results = await agent.DeliverAsync(new DeliveryRequest(stored, stored.Recipients, route, "dest.test", spool.GetContent(QueueState.Incoming, stored)), CancellationToken.None);

        Assert.Equal(DeliveryOutcome.Delivered, Assert.Single(results).Outcome);
    }

    [Theory]
    [InlineData(TlsMode.Opportunistic, true)]
    [InlineData(TlsMode.None, false)]
    public async Task Starttls_is_used_when_offered_unless_disabled(TlsMode mode, bool expectTls)
    {
        using var server = await AioSmtpdServer.StartAsync(new AioSmtpdOptions { StartTls = true });
        var content = TestQueue.Message("over tls");

        var results = await DeliverAsync(server.Port, content, TestQueue.Envelope("s@origin.test", "a@dest.test"), mode);

        Assert.Equal(DeliveryOutcome.Delivered, Assert.Single(results).Outcome);
        var message = Assert.Single(await server.WaitForMessagesAsync(1, Wait));
        Assert.Equal(expectTls, message.Tls);
        Assert.Equal(content, message.Content);
    }

    [Fact]
    public async Task Required_tls_with_an_untrusted_certificate_defers()
    {
        using var server = await AioSmtpdServer.StartAsync(new AioSmtpdOptions { StartTls = true });

        var results = await DeliverAsync(server.Port, TestQueue.Message(), TestQueue.Envelope("s@origin.test", "a@dest.test"), TlsMode.Required);

        Assert.Equal(DeliveryOutcome.Deferred, Assert.Single(results).Outcome);
        Assert.Empty(server.Messages());
    }

    [Fact]
    public async Task Required_tls_without_starttls_defers()
    {
        using var server = await AioSmtpdServer.StartAsync();

        var results = await DeliverAsync(server.Port, TestQueue.Message(), TestQueue.Envelope("s@origin.test", "a@dest.test"), TlsMode.Required);

        var result = Assert.Single(results);
        Assert.Equal(DeliveryOutcome.Deferred, result.Outcome);
        Assert.StartsWith("451 4.7.4", result.Reply, StringComparison.Ordinal);
        Assert.Empty(server.Messages());
    }

    [Fact]
    public async Task Smtp_sink_counts_messages_and_sessions()
    {
        using var sink = await SmtpSinkServer.StartAsync(dump: false, count: true);
        await using var agent = new SmtpDeliveryAgent(options, new DnsClientResolver(options.Dns));
        for (var i = 0; i < 3; i++)
        {
            var results = await DeliverAsync(agent, sink.Port, TestQueue.Message("n" + i), TestQueue.Envelope("s@origin.test", "a@dest.test"));
            Assert.Equal(DeliveryOutcome.Delivered, Assert.Single(results).Outcome);
        }

        await sink.WaitForCountAsync(3, Wait);
        Assert.Equal(1, sink.CountedSessions);
    }

    private async Task<IReadOnlyList<RecipientResult>> DeliverAsync(int port, byte[] content, Envelope envelope, TlsMode tls = TlsMode.None)
    {
        await using var agent = new SmtpDeliveryAgent(options, new DnsClientResolver(options.Dns));
        return await DeliverAsync(agent, port, content, envelope, tls);
    }

    private async Task<IReadOnlyList<RecipientResult>> DeliverAsync(SmtpDeliveryAgent agent, int port, byte[] content, Envelope envelope, TlsMode tls = TlsMode.None)
    {
        var id = await TestQueue.CommitAsync(spool, content, envelope);
        var stored = await spool.ReadEnvelopeAsync(QueueState.Incoming, id, CancellationToken.None);
        var route = TestQueue.SmtpRoute("dest.test", "127.0.0.1", port);
        route.Tls = tls;
        return await agent.DeliverAsync(new DeliveryRequest(stored, stored.Recipients, route, "dest.test", spool.GetContent(QueueState.Incoming, stored)), CancellationToken.None);
    }
}
