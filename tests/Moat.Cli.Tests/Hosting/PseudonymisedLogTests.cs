using System.Text.Json.Nodes;
using Moat.Cli.Tests.Support;
using Moat.Testing;

namespace Moat.Cli.Tests.Hosting;

/// <summary>
/// privacy.pseudonymiseAddresses end to end: the real gateway logs a delivery and a refused
/// recipient, and the addresses appear only as the pseudonyms <c>moat privacy pseudonym</c> prints.
/// </summary>
public sealed class PseudonymisedLogTests
{
    private const string Sender = "Alice.Sender@example.org";
    private const string Recipient = "bob.recipient+news@example.test";
    private const string Refused = "victim@elsewhere.test";
    private const string BodyLine = "body-line-that-must-never-be-logged";
    private const string Subject = "subject-that-must-never-be-logged";

    [Fact]
    public async Task AddressesAreLoggedAsThePseudonymsTheCommandPrints()
    {
        var configuration = Configuration();
        configuration["privacy"] = new JsonObject { ["pseudonymiseAddresses"] = true };
        await using var moat = await MoatProcess.StartAsync(configuration);

        await SendAsync(configuration);
        var sender = await PseudonymAsync(moat, Sender.ToUpperInvariant());
        var recipient = await PseudonymAsync(moat, Recipient);
        var refused = await PseudonymAsync(moat, $"<{Refused}>");
        await moat.WaitForOutputAsync($"to=<{recipient}> result=Delivered");

        var output = moat.Output;
        Assert.Contains($"from=<{sender}> to=<{refused}>", output);
        Assert.Contains($"from=<{sender}> rcpts=1", output);
        Assert.Contains("E-mail addresses in this log are pseudonymised", output);
        foreach (var address in new[] { Sender, Recipient, Refused })
        {
            Assert.DoesNotContain(address, output, StringComparison.OrdinalIgnoreCase);
        }

        Assert.DoesNotContain(BodyLine, output);
        Assert.DoesNotContain(Subject, output);
        Assert.Matches(@"(?m)^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z info: Moat\[11\] refused session=", output);
        var key = Path.Combine(moat.DataDirectory, "pseudonym.key");
        Assert.Equal(32, new FileInfo(key).Length);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(key));
        }
    }

    [Fact]
    public async Task WithoutTheSettingAddressesAreLoggedAsTheyAre()
    {
        var configuration = Configuration();
        await using var moat = await MoatProcess.StartAsync(configuration);

        await SendAsync(configuration);
        await moat.WaitForOutputAsync($"to=<{Recipient}> result=Delivered");

        var output = moat.Output;
        Assert.Contains($"from=<{Sender}> to=<{Refused}>", output);
        Assert.DoesNotContain("addr:", output);
        Assert.DoesNotContain(BodyLine, output);
        Assert.False(File.Exists(Path.Combine(moat.DataDirectory, "pseudonym.key")), "the key is made only when it is needed");

        var command = await moat.RunCommandAsync("privacy", "pseudonym", Sender);
        Assert.True(command.ExitCode == 0, command.ToString());
        Assert.Matches("^addr:[0-9a-f]{16}\n$", command.StandardOutput);
        Assert.Contains("privacy.pseudonymiseAddresses is off", command.StandardError);
    }

    [Fact]
    public async Task TheCommandRefusesSomethingThatIsNotAnAddress()
    {
        using var folder = new TempFolder("moat-privacy");

        var result = await MoatProcess.RunAsync("privacy", "pseudonym", "alice", "--data", folder.Path);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("not an e-mail address", result.StandardError);
        Assert.Equal(string.Empty, result.StandardOutput);
    }

    // A stranger (no trusted network) sends to one of our users, which is delivered into the
    // Maildir, and to a foreign domain, which relay control refuses at RCPT.
    private static JsonObject Configuration() =>
        GatewayConfiguration.Create().TrustNoClient().Route("example.test", new JsonObject { ["transport"] = "maildir" });

    private static async Task SendAsync(JsonObject configuration)
    {
        var sent = await Swaks.RunAsync(
            configuration.SmtpPort(),
            "--from", Sender,
            "--to", $"{Recipient},{Refused}",
            "--header", $"Subject: {Subject}",
            "--body", BodyLine);
        Assert.Contains("Relay access denied", sent.ToString());
    }

    private static async Task<string> PseudonymAsync(MoatProcess moat, string address)
    {
        var result = await moat.RunCommandAsync("privacy", "pseudonym", address);
        Assert.True(result.ExitCode == 0, result.ToString());
        return result.StandardOutput.Trim();
    }
}
