using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging.Abstractions;
using Moat.Cli.Configuration;
using Moat.Cli.Hosting;
using Moat.Pipeline;
using Moat.Queue;
using Moat.Queue.Spool;
using Moat.Testing;
using Moat.Web.Quarantine;

namespace Moat.Cli.Tests.Hosting;

/// <summary>Held mail scanned again before release, with the gateway's own antivirus engines built from its configuration.</summary>
public sealed class AntivirusReleaseCheckTests : IDisposable
{
    private const string Eicar = ClamdServer.EicarText;

    private readonly TempFolder folder = new("moat-release-check");
    private readonly MessageSpool spool;

    public AntivirusReleaseCheckTests() =>
        spool = new MessageSpool(new QueueOptions { Folder = folder.Combine("queue"), Hostname = "gw.test" });

    [Fact]
    public async Task ACleanMessageMayGoAndStaysAsItWas()
    {
        using var antivirus = AntivirusComponents.Create(Load(new JsonObject()));
        var id = await HoldAsync("Hello, nothing attached.");

        Assert.Null(await Check(antivirus).CheckAsync(id, CancellationToken.None));

        Assert.Equal(QueueState.Hold, spool.FindState(id));
        Assert.Equal("held: unknown sender", (await spool.ReadEnvelopeAsync(QueueState.Hold, id, CancellationToken.None)).LastError);
    }

    [Fact]
    public async Task AThreatFoundBecomesTheHoldReason()
    {
        using var antivirus = AntivirusComponents.Create(Load(new JsonObject()));
        var id = await HoldAsync(Eicar);

        Assert.Equal(ReleaseResult.ThreatFound, await Check(antivirus).CheckAsync(id, CancellationToken.None));

        Assert.Equal(QueueState.Hold, spool.FindState(id));
        var reason = (await spool.ReadEnvelopeAsync(QueueState.Hold, id, CancellationToken.None)).LastError;
        Assert.StartsWith("held: virus: ", reason, StringComparison.Ordinal);
        Assert.Contains("Eicar", reason, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task AnEngineThatCannotAnswerKeepsTheMessageHeldAsItWas()
    {
        // clamd configured but nothing listens on its port: the scan fails, and failing closed is the point.
        var configuration = new JsonObject
        {
            ["antivirus"] = new JsonObject
            {
                ["clamd"] = new JsonArray($"127.0.0.1:{FreePort.Get()}"),
                ["inbound"] = new JsonObject { ["engines"] = new JsonArray("signatures", "clamd") },
            },
        };
        using var antivirus = AntivirusComponents.Create(Load(configuration));
        var id = await HoldAsync("Hello, nothing attached.");

        Assert.Equal(ReleaseResult.NotChecked, await Check(antivirus).CheckAsync(id, CancellationToken.None));

        Assert.Equal("held: unknown sender", (await spool.ReadEnvelopeAsync(QueueState.Hold, id, CancellationToken.None)).LastError);
    }

    [Fact]
    public async Task AMessageNoLongerHeldIsReportedSo()
    {
        using var antivirus = AntivirusComponents.Create(Load(new JsonObject()));
        var id = await HoldAsync(Eicar);
        Assert.True(spool.TryMove(id, QueueState.Hold, QueueState.Incoming));

        Assert.Equal(ReleaseResult.NotHeld, await Check(antivirus).CheckAsync(id, CancellationToken.None));
    }

    public void Dispose() => folder.Dispose();

    private AntivirusReleaseCheck Check(AntivirusComponents antivirus) =>
        new(spool, antivirus.Filter, new Dictionary<string, ListenerRole> { ["inbound"] = ListenerRole.Inbound }, NullLogger.Instance);

    private MoatOptions Load(JsonObject configuration)
    {
        configuration["hostName"] = "mx.example.test";
        var file = folder.Combine($"moat-{Guid.NewGuid():N}.json");
        File.WriteAllText(file, configuration.ToJsonString());
        return ConfigurationLoader.Load(file, folder.Combine("data"));
    }

    private async Task<string> HoldAsync(string body)
    {
        await using var writer = await spool.CreateAsync(CancellationToken.None);
        await writer.Content.WriteAsync(Encoding.ASCII.GetBytes($"From: <carol@stranger.test>\r\nTo: <alice@example.test>\r\nSubject: hello\r\n\r\n{body}\r\n"));
        await writer.CommitAsync(
            new Envelope
            {
                Sender = "carol@stranger.test",
                Recipients = [new EnvelopeRecipient { Address = "alice@example.test" }],
                Listener = "inbound",
                LastError = "held: unknown sender",
            },
            QueueState.Hold,
            CancellationToken.None);
        return writer.Id;
    }
}
