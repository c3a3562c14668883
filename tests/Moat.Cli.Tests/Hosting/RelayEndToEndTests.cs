using System.Text.Json.Nodes;
using Moat.Cli.Tests.Support;

namespace Moat.Cli.Tests.Hosting;

/// <summary>
/// Open-relay probes against the running gateway, from a client that is not trusted, with the
/// tricks relay testers have used for decades. Every one must end in a 5xx at RCPT.
/// </summary>
public sealed class RelayEndToEndTests : IAsyncLifetime
{
    private MoatProcess? moat;
    private JsonObject configuration = GatewayConfiguration.Create();

    public static TheoryData<string> RelayTricks => new()
    {
        "victim@elsewhere.test",
        "victim%elsewhere.test@example.test",
        "elsewhere.test!victim@example.test",
        "\"victim@elsewhere.test\"@example.test",
        "@example.test:victim@elsewhere.test",
        "@example.test,@mx.example.test:victim@elsewhere.test",
        "victim@[127.0.0.1]",
        "victim@[IPv6:::1]",
        "victim@example.test.elsewhere.test",
        "victim@elsewhere.test.",
        "victim@example.testx",
        "victim",
    };

    public async Task InitializeAsync()
    {
        configuration = GatewayConfiguration.Create().TrustNoClient();
        configuration["listeners"]!.AsArray().Add(GatewayConfiguration.Listener("submission", Moat.Testing.FreePort.Get(), "submission"));
        moat = await MoatProcess.StartAsync(configuration);
    }

    public async Task DisposeAsync()
    {
        if (moat is not null)
        {
            await moat.DisposeAsync();
        }
    }

    [Theory]
    [MemberData(nameof(RelayTricks))]
    public async Task AnUntrustedClientCannotRelay(string recipient)
    {
        using var dialog = await SmtpDialog.ConnectAsync(configuration.SmtpPort());
        await dialog.SendAsync("EHLO prober.example.org");
        Assert.StartsWith("250 ", await dialog.SendAsync("MAIL FROM:<probe@example.org>"));

        var reply = await dialog.SendAsync($"RCPT TO:<{recipient}>");

        Assert.Matches("^5[0-9][0-9] 5\\.", reply);
    }

    [Theory]
    [InlineData("alice@example.test")]
    [InlineData("alice@EXAMPLE.TEST")]
    [InlineData("alice@example.test.")]
    [InlineData("postmaster")]
    public async Task OurOwnDomainsAreAcceptedFromAnyone(string recipient)
    {
        var result = await Swaks.RunAsync(configuration.SmtpPort(), "--from", "friend@example.org", "--to", recipient, "--quit-after", "RCPT");

        Assert.True(result.ExitCode == 0, result.ToString());
    }

    [Theory]
    [InlineData("<>")]
    [InlineData("<@relay.example.org:friend@example.org>")]
    public async Task OddButLegalSendersAreAccepted(string reversePath)
    {
        using var dialog = await SmtpDialog.ConnectAsync(configuration.SmtpPort());
        await dialog.SendAsync("EHLO friend.example.org");

        Assert.StartsWith("250 ", await dialog.SendAsync($"MAIL FROM:{reversePath}"));
        Assert.StartsWith("250 ", await dialog.SendAsync("RCPT TO:<alice@example.test>"));
    }

    [Fact]
    public async Task AnUnqualifiedSenderFromAStrangerIsRefused()
    {
        using var dialog = await SmtpDialog.ConnectAsync(configuration.SmtpPort());
        await dialog.SendAsync("EHLO friend.example.org");

        Assert.StartsWith("553 5.1.7", await dialog.SendAsync("MAIL FROM:<root>"));
    }

    [Theory]
    [InlineData("alice@example.test")]
    [InlineData("victim@elsewhere.test")]
    public async Task TheSubmissionListenerTakesNothingFromAStranger(string recipient)
    {
        using var dialog = await SmtpDialog.ConnectAsync(configuration.SmtpPort(listener: 1));
        await dialog.SendAsync("EHLO laptop.example.org");
        await dialog.SendAsync("MAIL FROM:<someone@example.test>");

        Assert.StartsWith("554 5.7.1", await dialog.SendAsync($"RCPT TO:<{recipient}>"));
    }
}
