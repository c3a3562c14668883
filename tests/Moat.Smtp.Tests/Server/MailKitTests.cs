using System.Net.Sockets;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;
using Moat.Smtp.Server;
using Moat.Smtp.Tests.Server.Support;

namespace Moat.Smtp.Tests.Server;

/// <summary>A real client library talks to the server: if MailKit can send through it, so can the world.</summary>
public sealed class MailKitTests
{
    [Theory]
    [InlineData(SecureSocketOptions.None)]
    [InlineData(SecureSocketOptions.StartTls)]
    public async Task MailKit_sends_a_message(SecureSocketOptions security)
    {
        var options = new SmtpServerOptions
        {
            HostName = TestServer.HostName,
            Certificate = TestCertificate.Instance,
            Listeners = [TestServer.Listener()],
        };
        await using var server = await TestServer.StartAsync(options);
        var message = new MimeMessage();
        message.From.Add(new MailboxAddress("Sender", "sender@client.test"));
        message.To.Add(new MailboxAddress("One", "one@mx.test"));
        message.To.Add(new MailboxAddress("Two", "two@mx.test"));
        message.Subject = "Through the moat";
        message.Body = new TextPart("plain") { Text = "Hello.\r\n.A line that starts with a dot.\r\n" };

        using (var socket = new Socket(server.EndPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true })
        using (var client = new SmtpClient())
        {
            await socket.ConnectAsync(server.EndPoint);
            client.ServerCertificateValidationCallback = (_, _, _, _) => true;
            await client.ConnectAsync(socket, TestServer.HostName, server.EndPoint.Port, security);
            await client.SendAsync(message);
            await client.DisconnectAsync(quit: true);
        }

        var handler = server.Handlers.Single;
        await handler.Disposed;
        Assert.Equal(security == SecureSocketOptions.StartTls, handler.Session.IsSecure);
        Assert.Contains("rcpt <one@mx.test>", handler.Events);
        Assert.Contains("rcpt <two@mx.test>", handler.Events);
        var raw = Assert.Single(handler.Messages);
        Assert.Contains("\r\n.A line that starts with a dot.\r\n", System.Text.Encoding.ASCII.GetString(raw));
        var received = MimeMessage.Load(new MemoryStream(raw));
        Assert.Equal("Through the moat", received.Subject);
        Assert.Equal("Hello.\n.A line that starts with a dot.\n", received.TextBody?.ReplaceLineEndings("\n"));
    }

    [Theory]
    [InlineData("PLAIN", "alice", "wonderland")]
    [InlineData("LOGIN", "alice", "wonderland")]
    [InlineData("PLAIN", "jürgen", "pässwört")]
    public async Task MailKit_authenticates_after_starttls_and_submits(string mechanism, string user, string password)
    {
        await using var server = await TestServer.StartAsync(TestServer.SubmissionOptions());
        var message = new MimeMessage();
        message.From.Add(new MailboxAddress("Sender", "sender@client.test"));
        message.To.Add(new MailboxAddress("One", "one@elsewhere.test"));
        message.Subject = "Submitted";
        message.Body = new TextPart("plain") { Text = "Hello.\r\n" };

        using (var socket = new Socket(server.EndPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true })
        using (var client = new SmtpClient())
        {
            await socket.ConnectAsync(server.EndPoint);
            client.ServerCertificateValidationCallback = (_, _, _, _) => true;
            await client.ConnectAsync(socket, TestServer.HostName, server.EndPoint.Port, SecureSocketOptions.StartTls);
            Assert.Equal(["LOGIN", "PLAIN"], client.AuthenticationMechanisms.Order());

            // Leave MailKit one choice, so each mechanism is exercised.
            client.AuthenticationMechanisms.IntersectWith([mechanism]);
            await Assert.ThrowsAsync<AuthenticationException>(() => client.AuthenticateAsync(user, password + "x"));
            await client.AuthenticateAsync(user, password);
            await client.SendAsync(message);
            await client.DisconnectAsync(quit: true);
        }

        var handler = server.Handlers.Single;
        await handler.Disposed;
        Assert.True(handler.Session.IsSecure);
        Assert.Equal(user, handler.Session.AuthenticatedUser);
        Assert.Equal([$"auth {mechanism} {user}", $"auth {mechanism} {user}"], handler.Events.Where(e => e.StartsWith("auth", StringComparison.Ordinal)));
        Assert.Single(handler.Messages);
    }

    [Fact]
    public async Task MailKit_sees_no_auth_in_clear_text()
    {
        await using var server = await TestServer.StartAsync(TestServer.SubmissionOptions());

        using var socket = new Socket(server.EndPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        using var client = new SmtpClient();
        await socket.ConnectAsync(server.EndPoint);
        await client.ConnectAsync(socket, TestServer.HostName, server.EndPoint.Port, SecureSocketOptions.None);

        Assert.False(client.Capabilities.HasFlag(SmtpCapabilities.Authentication));
        Assert.Empty(client.AuthenticationMechanisms);
        await client.DisconnectAsync(quit: true);
    }
}
