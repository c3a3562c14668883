using System.Diagnostics;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Moat.Audit.Discovery;
using Moat.Audit.Fingerprints;
using Moat.Audit.Probing;
using Moat.Audit.Tests.Probing.Support;

namespace Moat.Audit.Tests.Probing;

/// <summary>The prober against listeners that misbehave in ways no real server is configured to.</summary>
public sealed class SmtpProberScriptedTests
{
    private static readonly ProbeOptions Quick = new()
    {
        Domains = ["example.org"],
        ConnectTimeout = TimeSpan.FromSeconds(2),
        ReplyTimeout = TimeSpan.FromSeconds(1),
        ListenerTimeout = TimeSpan.FromSeconds(20),
    };

    [Fact]
    public async Task A_closed_port_is_an_error_not_an_exception()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();

        var observation = await ProbeAsync(port);

        Assert.False(observation.SpeaksSmtp);
        Assert.Contains("ConnectionRefused", observation.Error, StringComparison.Ordinal);
        Assert.Same(Fingerprint.Unknown, observation.Fingerprint);
    }

    [Fact]
    public async Task A_silent_service_is_reported_after_the_reply_timeout()
    {
        await using var server = new ScriptedServer((_, _, ct) => Task.Delay(Timeout.Infinite, ct));

        var observation = await ProbeAsync(server.Port);

        Assert.Empty(observation.Greeting);
        Assert.Equal("no SMTP greeting: no reply within 1 s", observation.Error);
    }

    [Fact]
    public async Task A_service_that_is_not_smtp_keeps_its_first_line_as_evidence()
    {
        await using var server = new ScriptedServer(async (c, _, ct) =>
        {
            await c.SendLineAsync("HTTP/1.1 400 Bad Request", ct);
            await c.ReadLineAsync(ct);
        });

        var observation = await ProbeAsync(server.Port);

        Assert.Equal(["HTTP/1.1 400 Bad Request"], observation.Greeting);
        Assert.False(observation.SpeaksSmtp);
        Assert.Contains("not an SMTP service", observation.Error, StringComparison.Ordinal);
        Assert.Empty(server.Received);
    }

    [Fact]
    public async Task A_server_that_turns_us_away_at_connect_gets_a_quit_and_nothing_else()
    {
        await using var server = new ScriptedServer(async (c, _, ct) =>
        {
            await c.SendLineAsync("554 5.7.1 mx.example.org no SMTP service here", ct);
            await c.ServeAsync(_ => "503 5.5.1 go away\r\n", ct);
        });

        var observation = await ProbeAsync(server.Port);

        Assert.Equal(["554 5.7.1 mx.example.org no SMTP service here"], observation.Greeting);
        Assert.Contains("refused the session", observation.Error, StringComparison.Ordinal);
        Assert.Equal(["QUIT"], server.Received);
    }

    [Fact]
    public async Task The_listener_time_limit_ends_a_probe_that_would_take_longer()
    {
        await using var server = new ScriptedServer(async (c, _, ct) =>
        {
            await c.SendLineAsync("220 mx.example.org ESMTP", ct);
            await Task.Delay(Timeout.Infinite, ct);
        });
        var clock = Stopwatch.StartNew();

        var observation = await ProbeAsync(server.Port, Quick with { ReplyTimeout = TimeSpan.FromSeconds(30), ListenerTimeout = TimeSpan.FromSeconds(1) });

        Assert.Equal(["220 mx.example.org ESMTP"], observation.Greeting);
        Assert.Contains("listener time limit of 1 s", observation.Error, StringComparison.Ordinal);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), clock.Elapsed.ToString());
    }

    [Fact]
    public async Task Cancellation_by_the_caller_throws()
    {
        await using var server = new ScriptedServer(async (c, _, ct) =>
        {
            await c.SendLineAsync("220 mx.example.org ESMTP", ct);
            await Task.Delay(Timeout.Infinite, ct);
        });
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            new SmtpProber().ProbeAsync(Endpoint(server.Port), Quick with { ReplyTimeout = TimeSpan.FromSeconds(30) }, cancel.Token));
    }

    [Fact]
    public async Task A_huge_ehlo_reply_is_cut_off_with_the_greeting_kept()
    {
        await using var server = new ScriptedServer(async (c, _, ct) =>
        {
            await c.SendLineAsync("220 mx.example.org ESMTP", ct);
            await c.ReadLineAsync(ct);
            var flood = new StringBuilder();
            for (var i = 0; i < 1000; i++)
            {
                flood.Append(CultureInvariant($"250-X-PAD{i}\r\n"));
            }

            await c.SendAsync(flood.ToString(), ct);
            await Task.Delay(Timeout.Infinite, ct);
        });

        var observation = await ProbeAsync(server.Port);

        Assert.True(observation.SpeaksSmtp);
        Assert.Contains("longer than 100 lines", observation.Error, StringComparison.Ordinal);
        Assert.Empty(observation.RelayProbes);
    }

    [Fact]
    public async Task The_relay_suite_continues_on_a_new_connection_when_the_server_hangs_up()
    {
        var rcptCount = 0;
        await using var server = new ScriptedServer(async (c, connection, ct) =>
        {
            await c.SendLineAsync("220 mx.example.org ESMTP", ct);
            await c.ServeAsync(line =>
            {
                if (line.StartsWith("RCPT", StringComparison.OrdinalIgnoreCase) && Interlocked.Increment(ref rcptCount) == 3)
                {
                    c.Stream.Socket.Shutdown(SocketShutdown.Send);
                    return "421 4.7.0 mx.example.org Error: too many errors\r\n";
                }

                return Generic(line);
            }, ct);
        });

        var observation = await ProbeAsync(server.Port);

        Assert.Null(observation.Error);
        Assert.Equal(RelayProbeSuite.Build("relay-test.invalid", "example.org", IPAddress.Loopback).Select(p => p.Trick), observation.RelayProbes.Select(p => p.Trick));
        Assert.All(observation.RelayProbes, p => Assert.False(p.Accepted));
        Assert.Contains(observation.Transcript, l => l.StartsWith("-- relay probes: connection lost", StringComparison.Ordinal));
        Assert.DoesNotContain(server.Received, l => l.StartsWith("DATA", StringComparison.OrdinalIgnoreCase) || l.StartsWith("BDAT", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task A_probe_that_breaks_the_connection_twice_is_recorded_as_not_accepted_and_the_rest_go_on()
    {
        await using var server = new ScriptedServer(async (c, _, ct) =>
        {
            await c.SendLineAsync("220 mx.example.org ESMTP", ct);
            while (await c.ReadLineAsync(ct) is { } line)
            {
                if (line.StartsWith("RCPT", StringComparison.OrdinalIgnoreCase) && line.Contains('"', StringComparison.Ordinal))
                {
                    return; // hang up without a word
                }

                if (line == "QUIT")
                {
                    await c.SendLineAsync("221 2.0.0 Bye", ct);
                    return;
                }

                await c.SendAsync(Generic(line), ct);
            }
        });

        var observation = await ProbeAsync(server.Port);

        Assert.Null(observation.Error);
        Assert.Equal(13, observation.RelayProbes.Count);
        var quoted = Assert.Single(observation.RelayProbes, p => p.Trick == RelayTricks.QuotedLocalPart);
        Assert.False(quoted.Accepted);
        Assert.Equal(["the server closed the connection"], quoted.Replies);
        Assert.Equal(2, observation.Transcript.Count(l => l.StartsWith("-- relay probes: connection lost", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Auth_before_tls_and_user_probes_are_recorded_as_said()
    {
        await using var server = new ScriptedServer(async (c, _, ct) =>
        {
            await c.SendLineAsync("220 mx.example.org ESMTP", ct);
            await c.ServeAsync(Generic, ct);
        });

        var observation = await ProbeAsync(server.Port, Quick with { ProbeUsers = ["root"], ProbeRandomUser = false });

        Assert.Equal(["PLAIN", "LOGIN"], observation.AuthBeforeTls);
        Assert.Equal(["PIPELINING", "AUTH"], observation.Keywords);
        Assert.Equal("250 2.1.5 <root@example.org>", observation.UserEnumeration["VRFY root"]);
        Assert.Equal("250 2.1.5 <root@example.org>", observation.UserEnumeration["EXPN root"]);
        Assert.Equal(2, observation.UserEnumeration.Count);
        Assert.Equal("214-commands:\n214 HELP VRFY", observation.Replies[ProbeCommands.Help]);
        Assert.Equal("221 2.0.0 Bye", observation.Replies[ProbeCommands.Quit]);
        Assert.Contains(ProbeCommands.BadMailFrom, server.Received);
    }

    [Fact]
    public async Task Implicit_tls_comes_before_the_greeting_and_its_auth_is_not_before_tls()
    {
        using var certificate = SelfSigned("CN=submit.example.org");
        await using var server = new ScriptedServer(async (c, _, ct) =>
        {
            await using var tls = new SslStream(c.Stream);
            await tls.AuthenticateAsServerAsync(new SslServerAuthenticationOptions { ServerCertificate = certificate }, ct);
            using var reader = new StreamReader(tls, Encoding.ASCII);
            await tls.WriteAsync("220 submit.example.org ESMTP\r\n"u8.ToArray(), ct);
            while (await reader.ReadLineAsync(ct) is { } line)
            {
                var answer = line == "QUIT" ? "221 2.0.0 Bye\r\n" : Generic(line);
                await tls.WriteAsync(Encoding.ASCII.GetBytes(answer), ct);
                if (line == "QUIT")
                {
                    return;
                }
            }
        });
        var endpoint = new ListenerEndpoint(server.Address, server.Port, "submit.example.org");

        var observation = await new SmtpProber().ProbeAsync(endpoint, Quick with { ImplicitTlsPorts = [server.Port], RunRelayProbes = false }, CancellationToken.None);

        Assert.True(observation.ImplicitTls);
        Assert.Null(observation.Error);
        Assert.Equal(["220 submit.example.org ESMTP"], observation.Greeting);
        Assert.Empty(observation.AuthBeforeTls);
        var tls = Assert.IsType<TlsObservation>(observation.Tls);
        Assert.True(tls.Succeeded);
        Assert.True(tls.SelfSigned);
        Assert.True(tls.NameMatches);
        Assert.Equal(["TLSv1.0", "TLSv1.1"], tls.LegacyProtocolTests.Keys.Order(StringComparer.Ordinal));
        Assert.Empty(tls.LegacyProtocolsAccepted);
    }

    /// <summary>A server that answers everything plausibly, confirms users, and refuses to relay.</summary>
    private static string Generic(string line)
    {
        var upper = line.ToUpperInvariant();
        return upper switch
        {
            _ when upper.StartsWith("EHLO", StringComparison.Ordinal) => "250-mx.example.org\r\n250-PIPELINING\r\n250 AUTH PLAIN LOGIN\r\n",
            _ when upper.StartsWith("VRFY", StringComparison.Ordinal) || upper.StartsWith("EXPN", StringComparison.Ordinal) => "250 2.1.5 <root@example.org>\r\n",
            _ when upper.StartsWith("HELP", StringComparison.Ordinal) => "214-commands:\r\n214 HELP VRFY\r\n",
            _ when upper.StartsWith("MAIL", StringComparison.Ordinal) => "250 2.1.0 Ok\r\n",
            _ when upper.StartsWith("RCPT", StringComparison.Ordinal) => "550 5.7.1 Relaying denied\r\n",
            _ => "250 2.0.0 Ok\r\n",
        };
    }

    private static string CultureInvariant(FormattableString text) => FormattableString.Invariant(text);

    private static X509Certificate2 SelfSigned(string subject)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName(subject[3..]);
        request.CertificateExtensions.Add(names.Build());
        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
    }

    private static ListenerEndpoint Endpoint(int port) => new(IPAddress.Loopback, port);

    private static Task<ListenerObservation> ProbeAsync(int port, ProbeOptions? options = null) =>
        new SmtpProber().ProbeAsync(Endpoint(port), options ?? Quick, CancellationToken.None);
}
