using System.Text;
using Moat.Smtp.Protocol;
using Moat.Smtp.Server;
using Moat.Smtp.Tests.Server.Support;

namespace Moat.Smtp.Tests.Server;

/// <summary>Hostile and broken clients: each bound has a named reply and the session stays bounded.</summary>
public sealed class BadInputTests
{
    private const string DataPrompt = "354 End data with <CR><LF>.<CR><LF>";

    [Theory]
    [InlineData("bare LF\nin the middle\r\n")]
    [InlineData("bare CR\rin the middle\r\n")]
    [InlineData("ends with bare LF\n")]
    public async Task Message_with_bare_line_ending_is_read_to_its_end_then_refused(string body)
    {
        await using var server = await TestServer.StartAsync();
        await using var client = await OpenTransactionAsync(server);

        await client.SendAsync("DATA\r\n");
        Assert.Equal(DataPrompt, await client.ReadReplyLineAsync());
        await client.SendAsync(body + "\r\n.\r\nNOOP\r\n");

        Assert.Equal("554 5.6.0 Message contains bare CR or LF characters", await client.ReadReplyLineAsync());
        Assert.Equal("250 2.0.0 OK", await client.ReadReplyLineAsync());
        Assert.Contains("abort", server.Handlers.Single.Events);
        Assert.Empty(server.Handlers.Single.Messages);
    }

    [Theory]
    [InlineData("\n.\n")]
    [InlineData("\r.\r")]
    [InlineData("\r\n.\n")]
    [InlineData("\n.\r\n")]
    public async Task Smuggling_sequences_do_not_end_the_data(string fakeEnd)
    {
        await using var server = await TestServer.StartAsync();
        await using var client = await OpenTransactionAsync(server);

        await client.SendAsync("DATA\r\n");
        Assert.Equal(DataPrompt, await client.ReadReplyLineAsync());
        await client.SendAsync($"Subject: x\r\n\r\nhello{fakeEnd}MAIL FROM:<smuggled@evil.test>\r\nRCPT TO:<victim@mx.test>\r\n");

        // Nothing was smuggled: no reply yet, and the handler saw no second MAIL.
        await client.SendAsync("NOOP\r\n.\r\n");
        Assert.Equal("554 5.6.0 Message contains bare CR or LF characters", await client.ReadReplyLineAsync());
        Assert.DoesNotContain("mail <smuggled@evil.test>", server.Handlers.Single.Events);
    }

    [Fact]
    public async Task Pregreeting_client_is_refused()
    {
        var gate = new TaskCompletionSource();
        var handlers = new RecordingHandlerFactory { Connect = async (_, ct) => { await gate.Task.WaitAsync(ct); return null; } };
        var options = new SmtpServerOptions
        {
            HostName = TestServer.HostName,
            Listeners = [TestServer.Listener(pregreetWait: TimeSpan.FromMilliseconds(100))],
        };
        await using var server = await TestServer.StartAsync(options, handlers);
        await using var client = await server.ConnectAsync();

        // The greeting is held back until the client has talked.
        await client.SendAsync("EHLO early.test\r\n");
        gate.SetResult();

        Assert.Equal(["220-mx.test", "554 5.5.1 Protocol error"], await client.ReadToEndAsync());
        Assert.DoesNotContain("helo early.test", handlers.Single.Events);
    }

    [Fact]
    public async Task Pregreet_with_zero_wait_still_sees_buffered_bytes()
    {
        var gate = new TaskCompletionSource();
        var handlers = new RecordingHandlerFactory { Connect = async (_, ct) => { await gate.Task.WaitAsync(ct); return null; } };
        await using var server = await TestServer.StartAsync(handlers: handlers);
        await using var client = await server.ConnectAsync();

        await client.SendAsync("EHLO early.test\r\n");
        await Task.Delay(50);
        gate.SetResult();

        Assert.Equal(["554 5.5.1 Protocol error"], await client.ReadToEndAsync());
    }

    [Fact]
    public async Task Patient_client_gets_the_two_part_greeting()
    {
        var options = new SmtpServerOptions
        {
            HostName = TestServer.HostName,
            Listeners = [TestServer.Listener(pregreetWait: TimeSpan.FromMilliseconds(50))],
        };
        await using var server = await TestServer.StartAsync(options);
        await using var client = await server.ConnectAsync();

        Assert.Equal(["220-mx.test", "220 mx.test ESMTP"], await client.ReadReplyAsync());
    }

    [Fact]
    public async Task Connections_over_the_per_client_limit_are_refused()
    {
        var options = new SmtpServerOptions { HostName = TestServer.HostName, Listeners = [TestServer.Listener()], MaxConnectionsPerClient = 2 };
        await using var server = await TestServer.StartAsync(options);
        await using var first = await server.ConnectAsync();
        await using var second = await server.ConnectAsync();
        Assert.Equal("220 mx.test ESMTP", await first.ReadReplyLineAsync());
        Assert.Equal("220 mx.test ESMTP", await second.ReadReplyLineAsync());

        await using (var third = await server.ConnectAsync())
        {
            Assert.Equal(["421 4.7.0 Too many connections, try again later"], await third.ReadToEndAsync());
        }

        // A slot frees up when a session ends.
        await first.SendAsync("QUIT\r\n");
        Assert.Equal(["221 2.0.0 Bye"], await first.ReadToEndAsync());
        await server.Handlers.For(first).Disposed;
        await WaitUntilAsync(async () =>
        {
            await using var fourth = await server.ConnectAsync();
            return await fourth.ReadReplyLineAsync() == "220 mx.test ESMTP";
        });
    }

    [Fact]
    public async Task A_client_that_reconnects_as_soon_as_it_reads_221_is_not_refused()
    {
        // Found by the load benchmark: 20 sessions reconnecting after each message hit a limit of
        // 20, because a finished session kept its slot until the connection was fully closed.
        var options = new SmtpServerOptions { HostName = TestServer.HostName, Listeners = [TestServer.Listener()], MaxConnectionsPerClient = 2 };
        await using var server = await TestServer.StartAsync(options);
        await using var steady = await server.ConnectAsync();
        Assert.Equal("220 mx.test ESMTP", await steady.ReadReplyLineAsync());

        for (var i = 0; i < 50; i++)
        {
            await using var client = await server.ConnectAsync();
            Assert.Equal("220 mx.test ESMTP", await client.ReadReplyLineAsync());
            await client.SendAsync("QUIT\r\n");
            Assert.Equal("221 2.0.0 Bye", await client.ReadReplyLineAsync());
        }
    }

    [Fact]
    public async Task Exempt_networks_are_not_held_to_the_per_client_limit()
    {
        var options = new SmtpServerOptions
        {
            HostName = TestServer.HostName,
            Listeners = [TestServer.Listener()],
            MaxConnectionsPerClient = 1,
            ConnectionLimitExemptions = [System.Net.IPNetwork.Parse("127.0.0.0/8")],
        };
        await using var server = await TestServer.StartAsync(options);
        await using var first = await server.ConnectAsync();
        await using var second = await server.ConnectAsync();

        Assert.Equal("220 mx.test ESMTP", await first.ReadReplyLineAsync());
        Assert.Equal("220 mx.test ESMTP", await second.ReadReplyLineAsync());
    }

    [Fact]
    public async Task Connections_over_the_total_limit_are_refused()
    {
        var options = new SmtpServerOptions { HostName = TestServer.HostName, Listeners = [TestServer.Listener()], MaxConnections = 1 };
        await using var server = await TestServer.StartAsync(options);
        await using var first = await server.ConnectAsync();
        Assert.Equal("220 mx.test ESMTP", await first.ReadReplyLineAsync());

        await using var second = await server.ConnectAsync();
        Assert.Equal(["421 4.7.0 Too many connections, try again later"], await second.ReadToEndAsync());
    }

    [Fact]
    public async Task Idle_client_is_timed_out()
    {
        var options = new SmtpServerOptions
        {
            HostName = TestServer.HostName,
            Listeners = [TestServer.Listener()],
            CommandTimeout = TimeSpan.FromMilliseconds(300),
        };
        await using var server = await TestServer.StartAsync(options);
        await using var client = await server.ConnectAsync();
        Assert.Equal("220 mx.test ESMTP", await client.ReadReplyLineAsync());

        // Half a command: trickling does not extend the deadline.
        await client.SendAsync("NOO");

        Assert.Equal(["421 4.4.2 mx.test Error: timeout exceeded"], await client.ReadToEndAsync());
    }

    [Fact]
    public async Task Stalled_data_is_timed_out_and_the_message_aborted()
    {
        var options = new SmtpServerOptions
        {
            HostName = TestServer.HostName,
            Listeners = [TestServer.Listener()],
            DataBlockTimeout = TimeSpan.FromMilliseconds(300),
        };
        await using var server = await TestServer.StartAsync(options);
        await using var client = await OpenTransactionAsync(server);
        await client.SendAsync("DATA\r\n");
        Assert.Equal(DataPrompt, await client.ReadReplyLineAsync());

        await client.SendAsync("Subject: partial\r\n");

        Assert.Equal(["421 4.4.2 mx.test Error: timeout exceeded"], await client.ReadToEndAsync());
        await server.Handlers.Single.Disposed;
        Assert.Contains("abort", server.Handlers.Single.Events);
    }

    [Fact]
    public async Task Client_vanishing_mid_data_aborts_the_message()
    {
        await using var server = await TestServer.StartAsync();
        var client = await OpenTransactionAsync(server);
        await client.SendAsync("DATA\r\n");
        Assert.Equal(DataPrompt, await client.ReadReplyLineAsync());
        await client.SendAsync("Subject: partial\r\n\r\nhalf a mess");

        client.Abort();

        var handler = server.Handlers.Single;
        await handler.Disposed;
        Assert.Equal(["begin", "abort"], handler.Events.Where(e => e is "begin" or "abort" or "complete"));
        Assert.Empty(handler.Messages);

        // The server is unharmed.
        await using var next = await server.ConnectAsync();
        Assert.Equal("220 mx.test ESMTP", await next.ReadReplyLineAsync());
    }

    [Fact]
    public async Task Client_vanishing_mid_bdat_aborts_the_message()
    {
        await using var server = await TestServer.StartAsync();
        var client = await OpenTransactionAsync(server);
        await client.SendAsync("BDAT 1000 LAST\r\nonly a little");

        client.Abort();

        var handler = server.Handlers.Single;
        await handler.Disposed;
        Assert.Contains("abort", handler.Events);
    }

    [Fact]
    public async Task Bdat_over_the_size_limit_is_consumed_then_refused()
    {
        var options = new SmtpServerOptions { HostName = TestServer.HostName, Listeners = [TestServer.Listener()], MaxMessageSize = 10 };
        await using var server = await TestServer.StartAsync(options);
        await using var client = await OpenTransactionAsync(server);

        await client.SendAsync("BDAT 8\r\n12345678BDAT 8 LAST\r\nNOOPNOOPNOOP\r\n");

        Assert.Equal("250 2.0.0 8 octets received", await client.ReadReplyLineAsync());
        Assert.Equal("552 5.3.4 Message size exceeds fixed maximum message size", await client.ReadReplyLineAsync());
        Assert.Equal("250 2.0.0 OK", await client.ReadReplyLineAsync());
        Assert.Contains("abort", server.Handlers.Single.Events);
    }

    [Fact]
    public async Task Long_line_is_discarded_without_buffering_it()
    {
        var options = new SmtpServerOptions { HostName = TestServer.HostName, Listeners = [TestServer.Listener()], MaxCommandLineLength = 512 };
        await using var server = await TestServer.StartAsync(options);
        await using var client = await server.ConnectAsync();
        Assert.Equal("220 mx.test ESMTP", await client.ReadReplyLineAsync());

        // A megabyte without CRLF: far more than the server may hold.
        var junk = Encoding.ASCII.GetBytes(new string('x', 1024 * 1024));
        await client.SendAsync(junk);
        await client.SendAsync("\r\nNOOP\r\n");

        Assert.Equal("500 5.5.6 Line too long", await client.ReadReplyLineAsync());
        Assert.Equal("250 2.0.0 OK", await client.ReadReplyLineAsync());
    }

    public static TheoryData<string, string> ThrowingStages => new()
    {
        { "MAIL FROM:<throw@client.test>\r\n", "451 4.3.0 Temporary local problem, try again later" },
        { "MAIL FROM:<a@client.test>\r\nRCPT TO:<throw@mx.test>\r\n", "451 4.3.0 Temporary local problem, try again later" },
    };

    [Theory]
    [MemberData(nameof(ThrowingStages))]
    public async Task Throwing_hook_gives_451_and_the_session_goes_on(string commands, string expected)
    {
        await using var server = await TestServer.StartAsync();
        await using var client = await GreetedClientAsync(server);

        await client.SendAsync(commands + "NOOP\r\n");
        var replies = new List<string>();
        for (var i = 0; i < commands.Split("\r\n", StringSplitOptions.RemoveEmptyEntries).Length; i++)
        {
            replies.Add(await client.ReadReplyLineAsync());
        }

        Assert.Equal(expected, replies[^1]);
        Assert.Equal("250 2.0.0 OK", await client.ReadReplyLineAsync());
    }

    [Fact]
    public async Task Throwing_begin_gives_451_and_aborts()
    {
        var handlers = new RecordingHandlerFactory { Begin = () => throw new IOException("spool full") };
        await using var server = await TestServer.StartAsync(handlers: handlers);
        await using var client = await OpenTransactionAsync(server);

        await client.SendAsync("DATA\r\n");

        Assert.Equal("451 4.3.0 Temporary local problem, try again later", await client.ReadReplyLineAsync());
        Assert.Contains("abort", handlers.Single.Events);
        await client.SendAsync("RCPT TO:<b@mx.test>\r\n");
        Assert.Equal("503 5.5.1 Bad sequence of commands", await client.ReadReplyLineAsync());
    }

    [Fact]
    public async Task Throwing_complete_gives_451_and_aborts()
    {
        var handlers = new RecordingHandlerFactory { Complete = _ => throw new IOException("fsync failed") };
        await using var server = await TestServer.StartAsync(handlers: handlers);
        await using var client = await OpenTransactionAsync(server);

        await client.SendAsync("DATA\r\n");
        Assert.Equal(DataPrompt, await client.ReadReplyLineAsync());
        await client.SendAsync("hello\r\n.\r\n");

        Assert.Equal("451 4.3.0 Temporary local problem, try again later", await client.ReadReplyLineAsync());
        Assert.Contains("abort", handlers.Single.Events);
    }

    [Fact]
    public async Task Throwing_stream_gives_451_after_reading_the_whole_message()
    {
        var handlers = new RecordingHandlerFactory { Begin = () => new FailingStream() };
        await using var server = await TestServer.StartAsync(handlers: handlers);
        await using var client = await OpenTransactionAsync(server);

        await client.SendAsync("DATA\r\n");
        Assert.Equal(DataPrompt, await client.ReadReplyLineAsync());
        await client.SendAsync("hello\r\n.\r\nNOOP\r\n");

        Assert.Equal("451 4.3.0 Temporary local problem, try again later", await client.ReadReplyLineAsync());
        Assert.Equal("250 2.0.0 OK", await client.ReadReplyLineAsync());
        Assert.Contains("abort", handlers.Single.Events);
    }

    [Fact]
    public async Task Throwing_connect_hook_gives_451_and_closes()
    {
        var handlers = new RecordingHandlerFactory { Connect = (_, _) => throw new InvalidOperationException("dnsbl down") };
        await using var server = await TestServer.StartAsync(handlers: handlers);
        await using var client = await server.ConnectAsync();

        Assert.Equal(["451 4.3.0 Temporary local problem, try again later"], await client.ReadToEndAsync());
    }

    [Fact]
    public async Task Connect_policy_reply_replaces_the_greeting_and_closes()
    {
        var handlers = new RecordingHandlerFactory
        {
            Connect = (_, _) => ValueTask.FromResult<SmtpReply?>(new SmtpReply(554, "5.7.1", "No SMTP service here")),
        };
        await using var server = await TestServer.StartAsync(handlers: handlers);
        await using var client = await server.ConnectAsync();

        Assert.Equal(["554 5.7.1 No SMTP service here"], await client.ReadToEndAsync());
    }

    [Fact]
    public async Task One_broken_session_does_not_disturb_another()
    {
        await using var server = await TestServer.StartAsync();
        await using var good = await OpenTransactionAsync(server);
        var bad = await OpenTransactionAsync(server);
        await bad.SendAsync("DATA\r\n");
        Assert.Equal(DataPrompt, await bad.ReadReplyLineAsync());
        bad.Abort();

        await good.SendAsync("DATA\r\nhello\r\n.\r\n");
        Assert.Equal(DataPrompt, await good.ReadReplyLineAsync());
        Assert.Equal("250 2.0.0 OK queued", await good.ReadReplyLineAsync());
    }

    [Fact]
    public async Task Client_hanging_up_mid_line_still_gets_the_replies_it_is_owed()
    {
        await using var server = await TestServer.StartAsync();
        await using var client = await server.ConnectAsync();
        Assert.Equal("220 mx.test ESMTP", await client.ReadReplyLineAsync());

        await client.SendAsync("NOOP\r\nHELP\r\nQU");
        client.HalfClose();

        Assert.Equal(["250 2.0.0 OK", "214 2.0.0 See RFC 5321"], await client.ReadToEndAsync());
    }

    internal static async Task<RawSmtpClient> GreetedClientAsync(TestServer server)
    {
        var client = await server.ConnectAsync();
        Assert.Equal("220 mx.test ESMTP", await client.ReadReplyLineAsync());
        await client.SendAsync("EHLO client.test\r\n");
        Assert.StartsWith("250 ", (await client.ReadReplyAsync())[^1]);
        return client;
    }

    internal static async Task<RawSmtpClient> OpenTransactionAsync(TestServer server)
    {
        var client = await GreetedClientAsync(server);
        await client.SendAsync("MAIL FROM:<a@client.test>\r\nRCPT TO:<b@mx.test>\r\n");
        Assert.Equal("250 2.1.0 OK", await client.ReadReplyLineAsync());
        Assert.Equal("250 2.1.5 OK", await client.ReadReplyLineAsync());
        return client;
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        for (var i = 0; i < 100; i++)
        {
            if (await condition())
            {
                return;
            }

            await Task.Delay(20);
        }

        Assert.Fail("The condition never became true.");
    }

    private sealed class FailingStream : MemoryStream
    {
        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) =>
            throw new IOException("disk full");
    }
}
