using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;
using Moat.Cli.Tests.Support;
using Moat.Testing;

namespace Moat.Cli.Tests.Hosting;

/// <summary>
/// SMTP AUTH through the running gateway: accounts made with <c>moat accounts add</c>, MailKit and
/// swaks logging in on the submission listeners (STARTTLS and implicit TLS), relaying to
/// "the Internet" (aiosmtpd), and a password sprayer blocked while the real user gets in.
/// </summary>
public sealed class AuthenticationEndToEndTests : IAsyncLifetime
{
    private const string Alice = "alice@example.test";
    private const string AlicePassword = "a long walk to the lighthouse";

    private AioSmtpdServer? internet;
    private MoatProcess? moat;
    private JsonObject configuration = new();

    private int Submission => configuration.SmtpPort(1);

    private int Submissions => configuration.SmtpPort(2);

    public async Task InitializeAsync()
    {
        internet = await AioSmtpdServer.StartAsync();
        configuration = GatewayConfiguration.Create().TrustNoClient()
            .Route("partner.test", GatewayConfiguration.SmtpRoute(internet.Port));
        configuration["listeners"]!.AsArray().Add(GatewayConfiguration.Listener("submission", FreePort.Get(), "submission"));
        configuration["listeners"]!.AsArray().Add(GatewayConfiguration.Listener("submissions", FreePort.Get(), "submission", implicitTls: true));

        // Every test client is on 127.0.0.0/8; a /32 network keeps the sprayer and alice apart, as two real networks would be.
        configuration["accounts"] = new JsonObject
        {
            ["spraying"] = new JsonObject { ["iPv4PrefixLength"] = 32, ["sourceSlowDelay"] = "00:00:00.050", ["accountBaseDelay"] = "00:00:00.050" },
        };
        moat = await MoatProcess.StartAsync(configuration);
        var added = await MoatProcess.RunWithInputAsync(AlicePassword + "\n", "accounts", "add", Alice, "--config", moat.ConfigFile, "--data", moat.DataDirectory);
        Assert.True(added.ExitCode == 0, added.ToString());
    }

    public async Task DisposeAsync()
    {
        if (moat is not null)
        {
            await moat.DisposeAsync();
        }

        internet?.Dispose();
    }

    [Fact]
    public async Task MailKitLogsInOverStartTlsAndRelays()
    {
        using var client = await ConnectAsync(Submission, SecureSocketOptions.StartTls);
        Assert.Contains("PLAIN", client.AuthenticationMechanisms);

        await client.AuthenticateAsync(Alice, AlicePassword);
        await client.SendAsync(Message(Alice, "bob@partner.test"));
        await client.DisconnectAsync(quit: true);

        var delivered = Assert.Single(await internet!.WaitForMessagesAsync(1, TimeSpan.FromSeconds(30)));
        Assert.Equal(Alice, delivered.MailFrom);
    }

    [Fact]
    public async Task SwaksLogsInOverImplicitTlsAndRelays()
    {
        var result = await Swaks.RunAsync(Submissions, "--tls-on-connect", "--auth", "LOGIN", "--auth-user", Alice, "--auth-password", AlicePassword, "--from", Alice, "--to", "carol@partner.test");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains(result.ServerLines, line => line.StartsWith("235 2.7.0", StringComparison.Ordinal));
        Assert.Single(await internet!.WaitForMessagesAsync(1, TimeSpan.FromSeconds(30)));
    }

    [Fact]
    public async Task AuthIsNeitherOfferedNorAcceptedInClear()
    {
        using var dialog = await SmtpDialog.ConnectAsync(Submission);
        var ehlo = await dialog.SendAsync("EHLO client.example.net");
        var auth = await dialog.SendAsync("AUTH PLAIN " + Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"\0{Alice}\0{AlicePassword}")));

        Assert.DoesNotContain("AUTH", ehlo);
        Assert.StartsWith("538 5.7.11", auth);
    }

    [Fact]
    public async Task WithoutLoggingInTheSubmissionListenerRelaysNothing()
    {
        var result = await Swaks.RunAsync(Submission, "--tls", "--from", Alice, "--to", "bob@partner.test");

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains(result.ServerLines, line => line.StartsWith("554 5.7.1", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AWrongPasswordIsRefusedAndAUserSendsOnlyAsThemselves()
    {
        var wrong = await Swaks.RunAsync(Submission, "--tls", "--auth", "PLAIN", "--auth-user", Alice, "--auth-password", "not it", "--from", Alice, "--to", "bob@partner.test");
        var notOwned = await Swaks.RunAsync(Submission, "--tls", "--auth", "PLAIN", "--auth-user", Alice, "--auth-password", AlicePassword, "--from", "ceo@example.test", "--to", "bob@partner.test");

        Assert.Contains(wrong.ServerLines, line => line.StartsWith("535 5.7.8", StringComparison.Ordinal));
        Assert.Contains(notOwned.ServerLines, line => line.StartsWith("553 5.7.1", StringComparison.Ordinal));
    }

    [Fact]
    public async Task APasswordSprayerIsBlockedWhileTheRealUserGetsIn()
    {
        string[] common = ["123456", "password", "12345678", "qwerty", "123456789", "12345", "1234", "111111", "1234567", "dragon", "123123", "baseball", "abc123", "football", "monkey", "letmein", "696969", "shadow", "master", "666666"];
        var attempts = 0;
        var blocked = false;
        for (var account = 0; account < 100 && !blocked; account++)
        {
            using var client = await ConnectAsync(Submission, SecureSocketOptions.StartTls, IPAddress.Parse("127.0.0.5"));
            foreach (var password in common.Skip(account % 4 * 5).Take(5))
            {
                attempts++;
                try
                {
                    await client.AuthenticateAsync(new SaslMechanismPlain($"user{account}@example.test", password));
                }
                catch (Exception exception) when (exception is AuthenticationException or SmtpCommandException)
                {
                    // 535 means go on spraying; 454 means the gateway blocked this source.
                    if (exception.Message.Contains("Too many failed logins", StringComparison.Ordinal))
                    {
                        blocked = true;
                        break;
                    }
                }
            }
        }

        Assert.True(blocked, $"not blocked after {attempts} attempts; gateway log:\n{moat!.Output[^Math.Min(4000, moat.Output.Length)..]}");
        Assert.InRange(attempts, 1, 100);

        using var alice = await ConnectAsync(Submission, SecureSocketOptions.StartTls, IPAddress.Parse("127.0.0.2"));
        await Assert.ThrowsAsync<AuthenticationException>(() => alice.AuthenticateAsync(Alice, "a long walk to the lighthuose"));
        await Assert.ThrowsAsync<AuthenticationException>(() => alice.AuthenticateAsync(Alice, "a long walk to the lighthous"));
        await alice.AuthenticateAsync(Alice, AlicePassword);
        Assert.True(alice.IsAuthenticated);

        var blocks = await moat!.RunCommandAsync("accounts", "blocks");
        Assert.Contains("127.0.0.5", blocks.StandardOutput);
    }

    private static MimeMessage Message(string from, string to)
    {
        var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse(from));
        message.To.Add(MailboxAddress.Parse(to));
        message.Subject = "submitted";
        message.Body = new TextPart("plain") { Text = "Sent by a logged-in user." };
        return message;
    }

    private static async Task<SmtpClient> ConnectAsync(int port, SecureSocketOptions security, IPAddress? source = null)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        socket.Bind(new IPEndPoint(source ?? IPAddress.Loopback, 0));
        await socket.ConnectAsync(IPAddress.Loopback, port);
        var client = new SmtpClient();

        // The gateway made itself a self-signed certificate on first run; these tests trust it knowingly.
        client.ServerCertificateValidationCallback = (_, _, _, errors) => (errors & ~(SslPolicyErrors.RemoteCertificateChainErrors | SslPolicyErrors.RemoteCertificateNameMismatch)) == SslPolicyErrors.None;
        await client.ConnectAsync(socket, "127.0.0.1", port, security);
        return client;
    }
}
