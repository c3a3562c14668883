using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;
using Moat.Cli.Tests.Support;
using Moat.Testing;

namespace Moat.Cli.Tests.Hosting;

/// <summary>
/// The real moat executable between real SMTP clients (swaks, Python's smtplib, MailKit,
/// Postfix's smtp-source) and real receiving servers (aiosmtpd, smtp-sink) or a Maildir.
/// </summary>
public sealed class GatewayEndToEndTests
{
    private static readonly TimeSpan DeliveryWait = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task SwaksMessageReachesTheInternalServerWithANeutralTraceHeader()
    {
        using var internalServer = await AioSmtpdServer.StartAsync();
        var configuration = GatewayConfiguration.Create().Route("example.test", GatewayConfiguration.SmtpRoute(internalServer.Port));
        await using var moat = await MoatProcess.StartAsync(configuration);

        var sent = await Swaks.RunAsync(configuration.SmtpPort(), "--from", "sender@example.org", "--to", "alice@example.test", "--header", "Subject: e2e swaks");

        Assert.True(sent.ExitCode == 0, sent.ToString());
        var received = Assert.Single(await internalServer.WaitForMessagesAsync(1, DeliveryWait));
        Assert.Equal("sender@example.org", received.MailFrom);
        Assert.Equal(["alice@example.test"], received.Recipients);
        var text = Encoding.UTF8.GetString(received.Content);
        Assert.StartsWith("Received: from ", text);
        Assert.Contains($"by {GatewayConfiguration.HostName} with ESMTP id ", text);
        Assert.Contains("Subject: e2e swaks", text);
        Assert.DoesNotContain("moat", text.Split("\r\n\r\n")[0].Replace("X-Mailer", string.Empty), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task PythonSmtplibMessageIsDeliveredIntoTheMaildir()
    {
        TestPrerequisites.RequireExecutable(TestPrerequisites.DebianPython, "python3");
        var configuration = GatewayConfiguration.Create().Route("example.test", new JsonObject { ["transport"] = "maildir" });
        await using var moat = await MoatProcess.StartAsync(configuration);

        var script = $$"""
            import smtplib
            from email.message import EmailMessage
            m = EmailMessage()
            m["From"] = "py@example.org"
            m["To"] = "bob@example.test"
            m["Subject"] = "from smtplib"
            m["Message-ID"] = "<smtplib-1@example.org>"
            m.set_content("Hello from Python.\n.leading dot line\n")
            with smtplib.SMTP("127.0.0.1", {{configuration.SmtpPort()}}, timeout=30) as s:
                s.ehlo("client.example.org")
                s.send_message(m)
            """;
        var result = await RunPythonAsync(script);
        Assert.True(result.ExitCode == 0, result.ToString());

        var folder = Path.Combine(moat.DataDirectory, "maildir", "bob@example.test", "new");
        var file = await WaitForFileAsync(folder);
        var content = await File.ReadAllTextAsync(file);
        Assert.Contains("Message-ID: <smtplib-1@example.org>", content);
        Assert.Contains("\r\n.leading dot line\r\n", content);
    }

    [Fact]
    public async Task MailKitOverStartTlsReachesSmtpSink()
    {
        using var sink = await SmtpSinkServer.StartAsync();
        var configuration = GatewayConfiguration.Create().Route("example.test", GatewayConfiguration.SmtpRoute(sink.Port));
        await using var moat = await MoatProcess.StartAsync(configuration);

        var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse("mailkit@example.org"));
        message.To.Add(MailboxAddress.Parse("carol@example.test"));
        message.Subject = "over TLS";
        message.MessageId = "mailkit-1@example.org";
        message.Body = new TextPart("plain") { Text = "Encrypted on the way in." };

        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await socket.ConnectAsync(IPAddress.Loopback, configuration.SmtpPort());
        using var client = new SmtpClient();
        // The gateway made itself a self-signed certificate on first run; this test trusts it knowingly.
        client.ServerCertificateValidationCallback = (_, _, _, errors) => errors is SslPolicyErrors.None or SslPolicyErrors.RemoteCertificateChainErrors or (SslPolicyErrors.RemoteCertificateChainErrors | SslPolicyErrors.RemoteCertificateNameMismatch) or SslPolicyErrors.RemoteCertificateNameMismatch;
        await client.ConnectAsync(socket, "127.0.0.1", configuration.SmtpPort(), SecureSocketOptions.StartTls);
        Assert.True(client.IsSecure);
        await client.SendAsync(message);
        await client.DisconnectAsync(quit: true);

        var dump = Assert.Single(await sink.WaitForMessagesAsync(1, DeliveryWait));
        Assert.Equal("mailkit@example.org", dump.MailFrom);
        Assert.Contains("with ESMTPS id", dump.Body);
        Assert.Contains("Message-Id: <mailkit-1@example.org>", dump.Body, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task SmtpSourceLoadIsDeliveredCompletely()
    {
        TestPrerequisites.RequireExecutable("/usr/sbin/smtp-source", "postfix");
        using var sink = await SmtpSinkServer.StartAsync();
        var configuration = GatewayConfiguration.Create().Route("example.test", GatewayConfiguration.SmtpRoute(sink.Port));
        await using var moat = await MoatProcess.StartAsync(configuration);
        const int messages = 300;

        var source = await ExternalProcess.RunAsync(
            "/usr/sbin/smtp-source",
            ["-m", messages.ToString(), "-s", "10", "-l", "10240", "-f", "load@example.org", "-t", "load@example.test", $"127.0.0.1:{configuration.SmtpPort()}"]);

        Assert.True(source.ExitCode == 0, source.ToString());
        var dumps = await sink.WaitForMessagesAsync(messages, DeliveryWait);
        Assert.Equal(messages, dumps.Count);
        var list = await moat.RunCommandAsync("queue", "list");
        Assert.Contains("The queue is empty.", list.StandardOutput);
    }

    [Fact]
    public async Task NothingTheServerSaysNamesTheProduct()
    {
        var configuration = GatewayConfiguration.Create();
        await using var moat = await MoatProcess.StartAsync(configuration);

        var dialog = await Swaks.RunAsync(
            configuration.SmtpPort(),
            "--from", "a@example.org", "--to", "nobody@example.test", "--quit-after", "RCPT");
        using var raw = await SmtpDialog.ConnectAsync(configuration.SmtpPort());
        var help = await raw.SendAsync("HELP");
        var vrfy = await raw.SendAsync("VRFY alice");
        var expn = await raw.SendAsync("EXPN staff");
        var unknown = await raw.SendAsync("XYZZY");

        Assert.Equal($"220 {GatewayConfiguration.HostName} ESMTP", raw.Greeting);
        Assert.StartsWith("214 ", help);
        Assert.StartsWith("252 ", vrfy);
        Assert.StartsWith("502 ", expn);
        Assert.StartsWith("500 ", unknown);
        var everything = string.Join('\n', dialog.ServerLines.Append(raw.Greeting).Append(help).Append(vrfy).Append(expn).Append(unknown));
        foreach (var word in new[] { "moat", "version", ".NET", "postfix", "microsoft" })
        {
            Assert.DoesNotContain(word, everything, StringComparison.OrdinalIgnoreCase);
        }
    }

    [Fact]
    public async Task MetricsEndpointCountsConnectionsAndTransactions()
    {
        var configuration = GatewayConfiguration.Create().Route("example.test", new JsonObject { ["transport"] = "maildir" });
        await using var moat = await MoatProcess.StartAsync(configuration);
        var sent = await Swaks.RunAsync(configuration.SmtpPort(), "--from", "m@example.org", "--to", "dave@example.test");
        Assert.True(sent.ExitCode == 0, sent.ToString());

        // The meter adapter hands measurements to the registry a moment after they happen.
        using var http = new HttpClient();
        var text = string.Empty;
        for (var attempt = 0; attempt < 50 && !text.Contains("moat_gateway_transactions"); attempt++)
        {
            await Task.Delay(100);
            text = await http.GetStringAsync(configuration.MetricsUrl());
        }

        Assert.Contains("moat_smtp_connections{listener=\"inbound\"}", text);
        Assert.Contains("moat_gateway_transactions{verdict=\"accept\"} 1", text);
        Assert.Contains("moat_queue_messages{state=\"deferred\"}", text);
        Assert.Contains("moat_queue_oldest_age", text);
        Assert.Contains("moat_queue_delivery_attempts", text);
    }

    private static async Task<string> WaitForFileAsync(string folder)
    {
        var deadline = DateTime.UtcNow + DeliveryWait;
        while (DateTime.UtcNow < deadline)
        {
            if (Directory.Exists(folder) && Directory.GetFiles(folder) is [var file, ..])
            {
                return file;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"Nothing arrived in {folder}.");
    }

    private static Task<CommandResult> RunPythonAsync(string script) =>
        ExternalProcess.RunAsync(TestPrerequisites.DebianPython, ["-c", script]);
}
