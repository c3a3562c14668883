using System.Diagnostics.Metrics;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Moat.Smtp.Protocol;
using Moat.Smtp.Server;
using Moat.Smtp.Tests.Server.Support;

namespace Moat.Smtp.Tests.Server;

/// <summary>AUTH beyond what the transcripts show: what the handler and the session see, the bounds, faults and metrics.</summary>
public sealed class AuthenticationTests
{
    private const string AlicePlain = "AGFsaWNlAHdvbmRlcmxhbmQ=";

    private static string Plain(string user, string password) => Convert.ToBase64String(Encoding.UTF8.GetBytes($"\0{user}\0{password}"));

    /// <summary>A client on an implicit-TLS submission listener, greeted with EHLO.</summary>
    private static async Task<RawSmtpClient> SecureClientAsync(TestServer server)
    {
        var client = await server.ConnectAsync();
        await client.StartTlsAsync();
        Assert.Equal("220 mx.test ESMTP", await client.ReadReplyLineAsync());
        await client.SendAsync("EHLO client.test\r\n");
        Assert.Contains("250-AUTH PLAIN LOGIN", await client.ReadReplyAsync());
        return client;
    }

    [Fact]
    public async Task The_handler_gets_the_credentials_and_the_session_remembers_the_user()
    {
        await using var server = await TestServer.StartAsync(TestServer.SubmissionOptions(implicitTls: true));
        await using var client = await SecureClientAsync(server);
        var session = server.Handlers.Single.Session;
        Assert.Null(session.AuthenticatedUser);

        await client.SendAsync($"AUTH PLAIN {AlicePlain}\r\n");

        Assert.Equal("235 2.7.0 Authentication successful", await client.ReadReplyLineAsync());
        Assert.Equal("alice", session.AuthenticatedUser);
        Assert.Contains("auth PLAIN alice", server.Handlers.Single.Events);

        await client.SendAsync("MAIL FROM:<alice@client.test> AUTH=alice+40client.test\r\n");
        Assert.Equal("250 2.1.0 OK", await client.ReadReplyLineAsync());
        Assert.Equal("alice@client.test", session.MailFrom?.AuthIdentity);
    }

    [Fact]
    public async Task The_password_reaches_the_handler_intact_but_nothing_records_it()
    {
        SmtpCredentials? seen = null;
        var handlers = new RecordingHandlerFactory
        {
            Authenticate = credentials =>
            {
                seen = credentials;
                return SmtpReplies.AuthenticationFailed;
            },
        };
        await using var server = await TestServer.StartAsync(TestServer.SubmissionOptions(implicitTls: true), handlers);
        await using var client = await SecureClientAsync(server);

        await client.SendAsync("AUTH LOGIN\r\n");
        Assert.Equal("334 VXNlcm5hbWU6", await client.ReadReplyLineAsync());
        await client.SendAsync(Convert.ToBase64String(Encoding.UTF8.GetBytes("jürgen")) + "\r\n");
        Assert.Equal("334 UGFzc3dvcmQ6", await client.ReadReplyLineAsync());
        await client.SendAsync(Convert.ToBase64String(Encoding.UTF8.GetBytes("s3cret pässwört")) + "\r\n");
        Assert.Equal("535 5.7.8 Authentication credentials invalid", await client.ReadReplyLineAsync());

        Assert.Equal(new SmtpCredentials("LOGIN", "jürgen", "s3cret pässwört"), seen);
        Assert.DoesNotContain("s3cret", seen!.ToString());
        Assert.DoesNotContain(handlers.Single.Events, e => e.Contains("s3cret", StringComparison.Ordinal));
        Assert.Null(handlers.Single.Session.AuthenticatedUser);
    }

    public static TheoryData<string> BadHandlerReplies => new() { "throw", "250", "334" };

    [Theory]
    [MemberData(nameof(BadHandlerReplies))]
    public async Task A_failing_or_confused_handler_gives_454_never_access_and_no_client_error(string behaviour)
    {
        var handlers = new RecordingHandlerFactory
        {
            Authenticate = _ => behaviour == "throw"
                ? throw new InvalidOperationException("directory down")
                : new SmtpReply(int.Parse(behaviour), null, "whatever"),
        };
        await using var server = await TestServer.StartAsync(TestServer.SubmissionOptions(implicitTls: true, maxErrors: 1), handlers);
        await using var client = await SecureClientAsync(server);

        await client.SendAsync($"AUTH PLAIN {AlicePlain}\r\nNOOP\r\n");

        Assert.Equal("454 4.7.0 Temporary authentication failure", await client.ReadReplyLineAsync());
        Assert.Equal("250 2.0.0 OK", await client.ReadReplyLineAsync());
        Assert.Null(handlers.Single.Session.AuthenticatedUser);
    }

    [Fact]
    public async Task Auth_lines_may_be_longer_than_commands_but_are_bounded_too()
    {
        var options = TestServer.SubmissionOptions(implicitTls: true);
        options = new SmtpServerOptions
        {
            HostName = options.HostName,
            Certificate = options.Certificate,
            Listeners = options.Listeners,
            MaxCommandLineLength = 512,
            MaxErrors = 20,
        };
        await using var server = await TestServer.StartAsync(options);
        await using var client = await SecureClientAsync(server);

        // Ordinary commands keep the ordinary bound.
        await client.SendAsync($"NOOP {new string('x', 600)}\r\n");
        Assert.Equal("500 5.5.6 Line too long", await client.ReadReplyLineAsync());

        // A 1000-byte password makes an AUTH line of some 1360 bytes: over 512, within RFC 4954's 12288.
        var longPassword = Plain("alice", new string('p', 1000));
        await client.SendAsync($"AUTH PLAIN {longPassword}\r\n");
        Assert.Equal("535 5.7.8 Authentication credentials invalid", await client.ReadReplyLineAsync());
        await client.SendAsync($"AUTH PLAIN\r\n");
        Assert.Equal("334 ", await client.ReadReplyLineAsync());
        await client.SendAsync($"{longPassword}\r\n");
        Assert.Equal("535 5.7.8 Authentication credentials invalid", await client.ReadReplyLineAsync());

        // Credentials over 1 KiB each are refused however they fit on the line.
        await client.SendAsync($"AUTH PLAIN {Plain("alice", new string('p', 1025))}\r\n");
        Assert.Equal("501 5.5.2 Cannot decode response", await client.ReadReplyLineAsync());

        // Past 12288 octets an AUTH line is discarded unread, the command and a response alike.
        await client.SendAsync($"AUTH PLAIN {new string('A', 12288)}\r\nNOOP\r\n");
        Assert.Equal("500 5.5.6 Line too long", await client.ReadReplyLineAsync());
        Assert.Equal("250 2.0.0 OK", await client.ReadReplyLineAsync());
        await client.SendAsync("AUTH LOGIN\r\n");
        Assert.Equal("334 VXNlcm5hbWU6", await client.ReadReplyLineAsync());
        await client.SendAsync($"{new string('A', 12288)}\r\nNOOP\r\n");
        Assert.Equal("500 5.5.6 Line too long", await client.ReadReplyLineAsync());
        Assert.Equal("250 2.0.0 OK", await client.ReadReplyLineAsync());

        // And the exchange is over: the session works as before.
        await client.SendAsync($"AUTH PLAIN {AlicePlain}\r\n");
        Assert.Equal("235 2.7.0 Authentication successful", await client.ReadReplyLineAsync());
    }

    [Fact]
    public async Task A_client_that_stalls_inside_the_exchange_is_timed_out()
    {
        var options = TestServer.SubmissionOptions(implicitTls: true);
        options = new SmtpServerOptions
        {
            HostName = options.HostName,
            Certificate = options.Certificate,
            Listeners = options.Listeners,
            CommandTimeout = TimeSpan.FromMilliseconds(300),
        };
        await using var server = await TestServer.StartAsync(options);
        await using var client = await SecureClientAsync(server);

        await client.SendAsync("AUTH LOGIN\r\n");

        Assert.Equal(["334 VXNlcm5hbWU6", "421 4.4.2 mx.test Error: timeout exceeded"], await client.ReadToEndAsync());
        await server.Handlers.Single.Disposed;
        Assert.DoesNotContain(server.Handlers.Single.Events, e => e.StartsWith("auth", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Stopping_the_server_inside_the_exchange_says_421()
    {
        var server = await TestServer.StartAsync(TestServer.SubmissionOptions(implicitTls: true));
        await using var client = await SecureClientAsync(server);
        await client.SendAsync("AUTH PLAIN\r\n");
        Assert.Equal("334 ", await client.ReadReplyLineAsync());

        await server.Server.StopAsync(CancellationToken.None);

        Assert.Equal(["421 4.3.2 Service shutting down"], await client.ReadToEndAsync());
        await server.DisposeAsync();
    }

    [Fact]
    public async Task Starttls_after_auth_is_refused_and_keeps_the_authentication()
    {
        await using var server = await TestServer.StartAsync(TestServer.SubmissionOptions(implicitTls: true));
        await using var client = await SecureClientAsync(server);

        await client.SendAsync($"AUTH PLAIN {AlicePlain}\r\nSTARTTLS\r\nHELO client.test\r\n");

        Assert.Equal("235 2.7.0 Authentication successful", await client.ReadReplyLineAsync());
        Assert.Equal("503 5.5.1 Bad sequence of commands", await client.ReadReplyLineAsync());
        Assert.Equal("250 mx.test", await client.ReadReplyLineAsync());
        Assert.Equal("alice", server.Handlers.Single.Session.AuthenticatedUser);
    }

    [Fact]
    public async Task Without_a_certificate_auth_is_never_offered()
    {
        var options = new SmtpServerOptions
        {
            HostName = TestServer.HostName,
            Listeners = [TestServer.Listener(authentication: ["PLAIN", "LOGIN"])],
        };
        await using var server = await TestServer.StartAsync(options);
        await using var client = await server.ConnectAsync();
        Assert.Equal("220 mx.test ESMTP", await client.ReadReplyLineAsync());
        await client.SendAsync("EHLO client.test\r\n");
        Assert.DoesNotContain(await client.ReadReplyAsync(), l => l.Contains("AUTH", StringComparison.Ordinal));

        await client.SendAsync($"AUTH PLAIN {AlicePlain}\r\n");

        Assert.Equal("538 5.7.11 Encryption required for requested authentication mechanism", await client.ReadReplyLineAsync());
    }

    [Fact]
    public async Task Mechanisms_are_advertised_upper_cased_in_the_configured_order()
    {
        var options = new SmtpServerOptions
        {
            HostName = TestServer.HostName,
            Certificate = TestCertificate.Instance,
            Listeners = [TestServer.Listener(implicitTls: true, authentication: ["login", "PLAIN", "Login"])],
        };
        await using var server = await TestServer.StartAsync(options);
        await using var client = await server.ConnectAsync();
        await client.StartTlsAsync();
        Assert.Equal("220 mx.test ESMTP", await client.ReadReplyLineAsync());

        await client.SendAsync("EHLO client.test\r\n");

        Assert.Contains("250-AUTH LOGIN PLAIN", await client.ReadReplyAsync());
    }

    [Fact]
    public void An_unsupported_mechanism_is_a_configuration_error()
    {
        var options = new SmtpServerOptions
        {
            HostName = TestServer.HostName,
            Certificate = TestCertificate.Instance,
            Listeners = [TestServer.Listener(authentication: ["PLAIN", "CRAM-MD5"])],
        };

        var error = Assert.Throws<ArgumentException>(() => new SmtpServer(options, new RecordingHandlerFactory(), NullLoggerFactory.Instance));
        Assert.Contains("CRAM-MD5", error.Message);
    }

    [Fact]
    public async Task Metrics_count_attempts_by_mechanism_and_outcome()
    {
        var counts = new Dictionary<string, long>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == SmtpServer.MeterName && instrument.Name == "auth.attempts")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            var key = string.Join('|', tags.ToArray().OrderBy(t => t.Key).Select(t => $"{t.Key}={t.Value}"));
            lock (counts)
            {
                counts[key] = counts.GetValueOrDefault(key) + value;
            }
        });
        listener.Start();

        await using (var server = await TestServer.StartAsync(TestServer.SubmissionOptions(implicitTls: true)))
        {
            await using var client = await SecureClientAsync(server);
            await client.SendAsync(
                $"AUTH PLAIN {Plain("alice", "wrong")}\r\nAUTH PLAIN {Plain("busy", "x")}\r\nAUTH LOGIN\r\n*\r\nAUTH PLAIN !!!!\r\n" +
                $"AUTH CRAM-MD5\r\nAUTH PLAIN {AlicePlain}\r\nQUIT\r\n");
            Assert.Equal(
                [
                    "535 5.7.8 Authentication credentials invalid", "454 4.7.0 Temporary authentication failure", "334 VXNlcm5hbWU6",
                    "501 5.0.0 Authentication cancelled", "501 5.5.2 Cannot decode response", "504 5.5.4 Unrecognized authentication type",
                    "235 2.7.0 Authentication successful", "221 2.0.0 Bye",
                ],
                await client.ReadToEndAsync());
            await server.Handlers.Single.Disposed;
        }

        // Other tests run in parallel and count too: each of ours is there at least once.
        lock (counts)
        {
            Assert.True(counts.GetValueOrDefault("mechanism=PLAIN|result=failure") >= 1);
            Assert.True(counts.GetValueOrDefault("mechanism=PLAIN|result=tempfail") >= 1);
            Assert.True(counts.GetValueOrDefault("mechanism=LOGIN|result=cancelled") >= 1);
            Assert.True(counts.GetValueOrDefault("mechanism=PLAIN|result=error") >= 1);
            Assert.True(counts.GetValueOrDefault("mechanism=other|result=error") >= 1);
            Assert.True(counts.GetValueOrDefault("mechanism=PLAIN|result=success") >= 1);
            Assert.All(counts.Keys, k => Assert.Matches("^mechanism=(PLAIN|LOGIN|other)\\|result=(success|failure|tempfail|cancelled|error)$", k));
        }
    }

    [Fact]
    public async Task Transcripts_show_the_handler_only_well_formed_credentials()
    {
        var (_, handlers) = await Transcript.Load("auth-failures").ReplayAsync(ReplayMode.AllAtOnce);

        var handler = handlers.Single;
        await handler.Disposed;
        Assert.Equal(
            ["auth LOGIN alice", "auth PLAIN busy", "auth PLAIN throw", "auth LOGIN alice"],
            handler.Events.Where(e => e.StartsWith("auth", StringComparison.Ordinal)));
        Assert.Equal("alice", handler.Session.AuthenticatedUser);
    }
}
