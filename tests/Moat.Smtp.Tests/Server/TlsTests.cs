using System.Security.Authentication;
using Moat.Smtp.Server;
using Moat.Smtp.Tests.Server.Support;

namespace Moat.Smtp.Tests.Server;

public sealed class TlsTests
{
    private static SmtpServerOptions TlsOptions(bool implicitTls = false) => new()
    {
        HostName = TestServer.HostName,
        Certificate = TestCertificate.Instance,
        Listeners = [TestServer.Listener(implicitTls: implicitTls)],
    };

    [Fact]
    public async Task Starttls_is_offered_then_resets_the_session()
    {
        await using var server = await TestServer.StartAsync(TlsOptions());
        await using var client = await server.ConnectAsync();
        Assert.Equal("220 mx.test ESMTP", await client.ReadReplyLineAsync());
        await client.SendAsync("EHLO client.test\r\n");
        Assert.Contains("250-STARTTLS", await client.ReadReplyAsync());

        await client.SendAsync("STARTTLS\r\n");
        Assert.Equal("220 2.0.0 Ready to start TLS", await client.ReadReplyLineAsync());
        await client.StartTlsAsync();

        // RFC 3207 §4.2: the client must greet again, and STARTTLS is no longer offered.
        await client.SendAsync("MAIL FROM:<a@client.test>\r\n");
        Assert.Equal("503 5.5.1 Bad sequence of commands", await client.ReadReplyLineAsync());
        await client.SendAsync("EHLO client.test\r\n");
        Assert.DoesNotContain("250-STARTTLS", await client.ReadReplyAsync());
        await client.SendAsync("STARTTLS\r\n");
        Assert.Equal("503 5.5.1 Bad sequence of commands", await client.ReadReplyLineAsync());

        var session = server.Handlers.Single.Session;
        Assert.True(session.IsSecure);
        Assert.True(session.TlsProtocol is SslProtocols.Tls12 or SslProtocols.Tls13);
        Assert.False(string.IsNullOrEmpty(session.TlsCipher));
    }

    [Fact]
    public async Task Command_pipelined_after_starttls_is_never_executed()
    {
        await using var server = await TestServer.StartAsync(TlsOptions());
        await using var client = await BadInputTests.GreetedClientAsync(server);

        // CVE-2011-0411: a man in the middle appends a plaintext command to STARTTLS.
        await client.SendAsync("STARTTLS\r\nMAIL FROM:<injected@evil.test>\r\n");

        Assert.Equal(["554 5.5.1 Protocol error"], await client.ReadToEndAsync());
        await server.Handlers.Single.Disposed;
        Assert.DoesNotContain(server.Handlers.Single.Events, e => e.StartsWith("mail", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Starttls_without_a_certificate_is_not_offered_nor_accepted()
    {
        await using var server = await TestServer.StartAsync();
        await using var client = await server.ConnectAsync();
        Assert.Equal("220 mx.test ESMTP", await client.ReadReplyLineAsync());
        await client.SendAsync("EHLO client.test\r\n");
        Assert.DoesNotContain("250-STARTTLS", await client.ReadReplyAsync());

        await client.SendAsync("STARTTLS\r\n");

        Assert.Equal("502 5.5.1 Command not implemented", await client.ReadReplyLineAsync());
    }

    [Fact]
    public async Task Implicit_tls_listener_handshakes_before_the_greeting()
    {
        await using var server = await TestServer.StartAsync(TlsOptions(implicitTls: true));
        await using var client = await server.ConnectAsync();

        await client.StartTlsAsync();

        Assert.Equal("220 mx.test ESMTP", await client.ReadReplyLineAsync());
        await client.SendAsync("EHLO client.test\r\n");
        Assert.DoesNotContain("250-STARTTLS", await client.ReadReplyAsync());
        Assert.True(server.Handlers.Single.Session.IsSecure);
    }

    [Fact]
    public async Task Garbage_instead_of_a_handshake_closes_the_connection()
    {
        await using var server = await TestServer.StartAsync(TlsOptions(implicitTls: true));
        await using var client = await server.ConnectAsync();

        await client.SendAsync("EHLO this is not TLS\r\n");

        Assert.Empty(await client.ReadToEndAsync());
        Assert.Empty(server.Handlers.Handlers);
    }

    [Fact]
    public async Task Silent_client_is_dropped_when_the_handshake_times_out()
    {
        var options = new SmtpServerOptions
        {
            HostName = TestServer.HostName,
            Certificate = TestCertificate.Instance,
            Listeners = [TestServer.Listener(implicitTls: true)],
            TlsHandshakeTimeout = TimeSpan.FromMilliseconds(300),
        };
        await using var server = await TestServer.StartAsync(options);
        await using var client = await server.ConnectAsync();

        Assert.Empty(await client.ReadToEndAsync());
        Assert.Empty(server.Handlers.Handlers);
    }
}
