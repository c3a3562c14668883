using System.IO.Compression;
using System.Text;
using System.Text.Json.Nodes;
using Moat.Cli.Tests.Support;
using Moat.Testing;

namespace Moat.Cli.Tests.Hosting;

/// <summary>Viruses sent through the running gateway with real clients, in both directions.</summary>
public sealed class AntivirusEndToEndTests : IAsyncLifetime
{
    private const string Eicar = @"X5O!P%@AP[4\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*";

    private readonly TempFolder files = new("moat-av");
    private AioSmtpdServer? internalServer;
    private MoatProcess? moat;
    private JsonObject configuration = new();

    public async Task InitializeAsync()
    {
        internalServer = await AioSmtpdServer.StartAsync();
        configuration = GatewayConfiguration.Create().Route("example.test", GatewayConfiguration.SmtpRoute(internalServer.Port));
        configuration["relay"]!["trustedNetworks"] = new JsonArray("127.0.0.2/32");
        configuration["listeners"]!.AsArray().Add(GatewayConfiguration.Listener("submission", FreePort.Get(), "submission"));
        moat = await MoatProcess.StartAsync(configuration);
    }

    public async Task DisposeAsync()
    {
        if (moat is not null)
        {
            await moat.DisposeAsync();
        }

        internalServer?.Dispose();
        files.Dispose();
    }

    public static TheoryData<string, string> Attachments => new()
    {
        { "plain", "eicar.com" },
        { "zipped", "eicar.zip" },
        { "zip in zip", "nested.zip" },
    };

    [Theory]
    [MemberData(nameof(Attachments))]
    public async Task InboundVirusIsRejectedNamingTheThreat(string description, string attachment)
    {
        var path = await WriteAttachmentAsync(attachment);

        var result = await Swaks.RunAsync(configuration.SmtpPort(), "--from", "stranger@example.org", "--to", "alice@example.test", "--attach", path);

        Assert.True(result.ExitCode != 0, description + ": " + result);
        Assert.Contains(result.ServerLines, line => line.StartsWith("554 5.7.0", StringComparison.Ordinal) && line.Contains("Eicar", StringComparison.OrdinalIgnoreCase));
        Assert.Empty(internalServer!.Messages());
    }

    [Theory]
    [InlineData("base64")]
    [InlineData("quoted-printable")]
    public async Task EncodedVirusInAForwardedMessageIsRejected(string encoding)
    {
        var inner = $"From: a@example.org\r\nTo: b@example.org\r\nSubject: inner\r\nMIME-Version: 1.0\r\nContent-Type: application/octet-stream; name=\"x.bin\"\r\nContent-Transfer-Encoding: {encoding}\r\n\r\n{Encode(encoding)}\r\n";
        var body = "MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"b1\"\r\n\r\n--b1\r\nContent-Type: text/plain\r\n\r\nforwarded\r\n--b1\r\nContent-Type: message/rfc822\r\n\r\n" + inner + "--b1--\r\n";
        var file = files.Combine("forward.eml");
        await File.WriteAllTextAsync(file, "From: fwd@example.org\r\nTo: alice@example.test\r\nSubject: fwd\r\n" + body);

        var result = await Swaks.RunAsync(configuration.SmtpPort(), "--from", "fwd@example.org", "--to", "alice@example.test", "--data", file);

        Assert.Contains(result.ServerLines, line => line.StartsWith("554 5.7.0", StringComparison.Ordinal));
    }

    [Fact]
    public async Task UuencodedVirusIsRejected()
    {
        var file = files.Combine("uu.eml");
        await File.WriteAllTextAsync(file, "From: uu@example.org\r\nTo: alice@example.test\r\nSubject: uu\r\n\r\nsee attached\r\n" + Uuencode("eicar.com", Encoding.ASCII.GetBytes(Eicar)));

        var result = await Swaks.RunAsync(configuration.SmtpPort(), "--from", "uu@example.org", "--to", "alice@example.test", "--data", file);

        Assert.Contains(result.ServerLines, line => line.StartsWith("554 5.7.0", StringComparison.Ordinal));
    }

    [Fact]
    public async Task OutboundVirusFromOurOwnUsersIsRejectedToo()
    {
        // 127.0.0.2 is a trusted network here, so this is a user sending out.
        var path = await WriteAttachmentAsync("eicar.zip");

        var result = await Swaks.RunAsync(configuration.SmtpPort(listener: 1), "--local-interface", "127.0.0.2", "--from", "alice@example.test", "--to", "partner@elsewhere.test", "--attach", path);

        Assert.Contains(result.ServerLines, line => line.StartsWith("554 5.7.0", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ACleanAttachmentIsDelivered()
    {
        var path = files.Combine("report.txt");
        await File.WriteAllTextAsync(path, "quarterly figures");

        var result = await Swaks.RunAsync(configuration.SmtpPort(), "--from", "friend@example.org", "--to", "alice@example.test", "--attach", path);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Single(await internalServer!.WaitForMessagesAsync(1, TimeSpan.FromSeconds(60)));
    }

    [Theory]
    [InlineData("tag")]
    [InlineData("quarantine")]
    public async Task TagAndQuarantineAcceptTheVirusButKeepItMarked(string action)
    {
        var config = GatewayConfiguration.Create().Route("example.test", GatewayConfiguration.SmtpRoute(internalServer!.Port)).TrustNoClient();
        config["antivirus"] = new JsonObject { ["inbound"] = new JsonObject { ["action"] = action } };
        await using var gateway = await MoatProcess.StartAsync(config);
        var path = await WriteAttachmentAsync("eicar.zip");

        var result = await Swaks.RunAsync(config.SmtpPort(), "--from", "stranger@example.org", "--to", "alice@example.test", "--attach", path);

        Assert.True(result.ExitCode == 0, result.ToString());
        if (action == "tag")
        {
            var delivered = Assert.Single(await internalServer.WaitForMessagesAsync(1, TimeSpan.FromSeconds(60)));
            Assert.StartsWith("X-Virus-Status: Infected (Eicar-Signature", Encoding.UTF8.GetString(delivered.Content));
        }
        else
        {
            var list = await gateway.RunCommandAsync("queue", "list");
            Assert.Contains(" hold ", list.StandardOutput);
            Assert.Contains("virus", list.StandardOutput);
            Assert.Empty(internalServer.Messages());
        }
    }

    private async Task<string> WriteAttachmentAsync(string name)
    {
        var path = files.Combine(name);
        switch (name)
        {
            case "eicar.com":
                await File.WriteAllTextAsync(path, Eicar);
                break;
            case "eicar.zip":
                await File.WriteAllBytesAsync(path, Zip("eicar.com", Encoding.ASCII.GetBytes(Eicar)));
                break;
            default:
                await File.WriteAllBytesAsync(path, Zip("inner.zip", Zip("eicar.com", Encoding.ASCII.GetBytes(Eicar))));
                break;
        }

        return path;
    }

    private static byte[] Zip(string entryName, byte[] content)
    {
        using var buffer = new MemoryStream();
        using (var archive = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            using var entry = archive.CreateEntry(entryName).Open();
            entry.Write(content);
        }

        return buffer.ToArray();
    }

    private static string Encode(string encoding) => encoding == "base64"
        ? Convert.ToBase64String(Encoding.ASCII.GetBytes(Eicar))
        : Eicar.Replace("=", "=3D");

    private static string Uuencode(string name, byte[] data)
    {
        var text = new StringBuilder($"begin 644 {name}\r\n");
        for (var offset = 0; offset < data.Length; offset += 45)
        {
            var line = data.AsSpan(offset, Math.Min(45, data.Length - offset));
            text.Append((char)(32 + line.Length));
            for (var i = 0; i < line.Length; i += 3)
            {
                int b0 = line[i], b1 = i + 1 < line.Length ? line[i + 1] : 0, b2 = i + 2 < line.Length ? line[i + 2] : 0;
                foreach (var sextet in new[] { b0 >> 2, ((b0 & 3) << 4) | (b1 >> 4), ((b1 & 15) << 2) | (b2 >> 6), b2 & 63 })
                {
                    text.Append(sextet == 0 ? '`' : (char)(32 + sextet));
                }
            }

            text.Append("\r\n");
        }

        return text.Append("`\r\nend\r\n").ToString();
    }
}
