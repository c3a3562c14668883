using System.Text;
using Moat.Scanning.Clamd;
using Moat.Testing;

namespace Moat.Scanning.Tests.Clamd;

/// <summary>ClamdEngine against a real clamd on loopback, and against fakes that hang, hang up or talk nonsense.</summary>
public sealed class ClamdEngineTests : IClassFixture<ClamdFixture>
{
    private readonly ClamdFixture clamd;

    public ClamdEngineTests(ClamdFixture clamd)
    {
        this.clamd = clamd;
    }

    [Fact]
    public async Task CleanContentIsClean()
    {
        var engine = Engine(clamd.Tcp);

        var verdict = await engine.ScanAsync(Object("Hello, this is an ordinary letter.\r\n"), CancellationToken.None);

        Assert.Equal(EngineVerdict.Clean, verdict);
    }

    [Fact]
    public async Task EicarIsFoundOverTcp()
    {
        var engine = Engine(clamd.Tcp);

        var verdict = await engine.ScanAsync(Object(ClamdServer.EicarText), CancellationToken.None);

        Assert.Equal(EngineVerdictKind.Infected, verdict.Kind);
        Assert.Equal([ClamdServer.EicarThreat], verdict.Threats);
    }

    [Fact]
    public async Task EicarIsFoundOverTheUnixSocket()
    {
        var engine = Engine(clamd.Unix);

        var verdict = await engine.ScanAsync(Object(ClamdServer.EicarText), CancellationToken.None);

        Assert.Equal([ClamdServer.EicarThreat], verdict.Threats);
    }

    [Fact]
    public async Task ABodyPatternIsFoundInContentLargerThanOneChunk()
    {
        // The marker straddles the first chunk boundary, so clamd must join the chunks.
        var engine = new ClamdEngine(new ClamdOptions { Endpoints = [clamd.Tcp], ChunkSize = 4096 });
        var content = new string('a', 4090) + ClamdServer.MarkerText + new string('b', 100_000);

        var verdict = await engine.ScanAsync(Object(content), CancellationToken.None);

        Assert.Equal([ClamdServer.MarkerThreat], verdict.Threats);
    }

    [Fact]
    public async Task ClamdFindsEicarInsideAMessageItDecodesItself()
    {
        var engine = Engine(clamd.Tcp);
        var message = $"""
            From: a@example.test
            To: b@example.test
            Subject: test
            MIME-Version: 1.0
            Content-Type: multipart/mixed; boundary="b1"

            --b1
            Content-Type: text/plain

            see attachment
            --b1
            Content-Type: application/octet-stream; name="eicar.com"
            Content-Transfer-Encoding: base64

            {Convert.ToBase64String(Encoding.ASCII.GetBytes(ClamdServer.EicarText))}
            --b1--

            """.ReplaceLineEndings("\r\n");

        var verdict = await engine.ScanAsync(Object(message), CancellationToken.None);

        Assert.Equal([ClamdServer.EicarThreat], verdict.Threats);
    }

    [Fact]
    public async Task ADeadHostIsSkippedForTheNextOne()
    {
        var dead = ClamdEndpoint.Tcp("127.0.0.1", FreePort.Get());
        var engine = Engine(dead, clamd.Tcp);

        var verdict = await engine.ScanAsync(Object(ClamdServer.EicarText), CancellationToken.None);

        Assert.Equal([ClamdServer.EicarThreat], verdict.Threats);
    }

    [Fact]
    public async Task AHostThatAnsweredErrorIsTriedLastAfterwards()
    {
        await using var broken = FakeClamd.Replying("Can't allocate memory ERROR\0");
        var engine = Engine(broken.Endpoint, clamd.Tcp);

        var first = await engine.ScanAsync(Object(ClamdServer.EicarText), CancellationToken.None);
        var second = await engine.ScanAsync(Object(ClamdServer.EicarText), CancellationToken.None);

        Assert.Equal([ClamdServer.EicarThreat], first.Threats);
        Assert.Equal([ClamdServer.EicarThreat], second.Threats);
        Assert.Equal(1, broken.Connections);
    }

    [Fact]
    public async Task AHungClamdGivesAnErrorAfterTheTimeout()
    {
        await using var hung = FakeClamd.Hanging();
        var engine = new ClamdEngine(new ClamdOptions { Endpoints = [hung.Endpoint], ScanTimeout = TimeSpan.FromMilliseconds(300) });

        var verdict = await engine.ScanAsync(Object("hello"), CancellationToken.None);

        Assert.Equal(EngineVerdictKind.Error, verdict.Kind);
        Assert.Contains("no answer within", verdict.Reason);
    }

    [Fact]
    public async Task AHungClamdFailsOverToTheNextHost()
    {
        await using var hung = FakeClamd.Hanging();
        // Long enough for the live clamd to answer on a busy machine.
        var engine = new ClamdEngine(new ClamdOptions { Endpoints = [hung.Endpoint, clamd.Tcp], ScanTimeout = TimeSpan.FromSeconds(1) });

        var verdict = await engine.ScanAsync(Object(ClamdServer.EicarText), CancellationToken.None);

        Assert.Equal([ClamdServer.EicarThreat], verdict.Threats);
    }

    [Fact]
    public async Task AConnectionClosedMidStreamIsAnError()
    {
        await using var rude = FakeClamd.HangingUpAfter(20);
        var engine = Engine(rude.Endpoint);

        var verdict = await engine.ScanAsync(Object(new string('x', 1 << 20)), CancellationToken.None);

        Assert.Equal(EngineVerdictKind.Error, verdict.Kind);
        Assert.Contains(rude.Endpoint.ToString(), verdict.Reason);
    }

    [Fact]
    public async Task AConnectionClosedMidReplyIsAnError()
    {
        await using var rude = FakeClamd.Replying("stream: Eica");
        var engine = Engine(rude.Endpoint);

        var verdict = await engine.ScanAsync(Object(ClamdServer.EicarText), CancellationToken.None);

        Assert.Equal(EngineVerdictKind.Error, verdict.Kind);
        Assert.Contains("middle of the reply", verdict.Reason);
    }

    [Fact]
    public async Task AConnectionClosedWithoutAReplyIsAnError()
    {
        await using var silent = FakeClamd.Replying(string.Empty);
        var engine = Engine(silent.Endpoint);

        var verdict = await engine.ScanAsync(Object("hello"), CancellationToken.None);

        Assert.Equal(EngineVerdictKind.Error, verdict.Kind);
        Assert.Contains("without a reply", verdict.Reason);
    }

    [Fact]
    public async Task ContentOverClamdsStreamMaxLengthIsAnError()
    {
        var engine = Engine(ClamdEndpoint.Tcp("127.0.0.1", clamd.SmallServer.Port));

        var verdict = await engine.ScanAsync(Object(new string('x', 4 * ClamdFixture.SmallStreamMaxLength)), CancellationToken.None);

        Assert.Equal(EngineVerdictKind.Error, verdict.Kind);
        Assert.Contains("size limit exceeded", verdict.Reason);
    }

    [Fact]
    public async Task AKnownStreamMaxLengthRefusesLargerObjectsWithoutSendingThem()
    {
        await using var fake = FakeClamd.Replying("stream: OK\0");
        var engine = new ClamdEngine(new ClamdOptions { Endpoints = [fake.Endpoint], StreamMaxLength = 10 });

        var verdict = await engine.ScanAsync(Object("more than ten bytes"), CancellationToken.None);

        Assert.Equal(EngineVerdictKind.Error, verdict.Kind);
        Assert.Contains("StreamMaxLength", verdict.Reason);
        Assert.Equal(0, fake.Connections);
    }

    [Fact]
    public async Task NoReachableHostIsAnErrorNamingEveryHost()
    {
        var first = ClamdEndpoint.Tcp("127.0.0.1", FreePort.Get());
        var second = ClamdEndpoint.Unix("/nonexistent/clamd.sock");
        var engine = Engine(first, second);

        var verdict = await engine.ScanAsync(Object("hello"), CancellationToken.None);

        Assert.Equal(EngineVerdictKind.Error, verdict.Kind);
        Assert.Contains(first.ToString(), verdict.Reason);
        Assert.Contains(second.ToString(), verdict.Reason);
    }

    [Fact]
    public async Task PingAndVersionAnswer()
    {
        var client = new ClamdClient(clamd.Tcp, new ClamdOptions());

        Assert.True(await client.PingAsync(CancellationToken.None));
        Assert.StartsWith("ClamAV ", await client.GetVersionAsync(CancellationToken.None));
    }

    [Fact]
    public async Task HealthCheckReportsEveryHost()
    {
        var dead = ClamdEndpoint.Tcp("127.0.0.1", FreePort.Get());
        var engine = Engine(clamd.Unix, dead);

        var statuses = await engine.CheckHostsAsync(CancellationToken.None);

        Assert.True(await engine.PingAsync(CancellationToken.None));
        Assert.StartsWith("ClamAV ", await engine.GetVersionAsync(CancellationToken.None));
        Assert.Collection(
            statuses,
            healthy => Assert.True(healthy.Healthy),
            unhealthy =>
            {
                Assert.False(unhealthy.Healthy);
                Assert.Contains("cannot connect", unhealthy.Problem);
            });
    }

    [Fact]
    public async Task AHungClamdFailsTheHealthCheck()
    {
        await using var hung = FakeClamd.Hanging();
        var engine = new ClamdEngine(new ClamdOptions { Endpoints = [hung.Endpoint], CommandTimeout = TimeSpan.FromMilliseconds(300) });

        var status = Assert.Single(await engine.CheckHostsAsync(CancellationToken.None));

        Assert.False(status.Healthy);
        Assert.Contains("no answer within", status.Problem);
    }

    [Fact]
    public void OnlyWholeMessagesAreAcceptedByDefault()
    {
        var engine = Engine(clamd.Tcp);
        var everything = new ClamdEngine(new ClamdOptions { Endpoints = [clamd.Tcp], AcceptAllObjects = true });

        Assert.True(engine.Accepts(Object("x", ScanObjectKind.Root)));
        Assert.True(engine.Accepts(Object("x", ScanObjectKind.NestedMessage)));
        Assert.False(engine.Accepts(Object("x", ScanObjectKind.MimePart)));
        Assert.False(engine.Accepts(Object("x", ScanObjectKind.ArchiveEntry)));
        Assert.True(everything.Accepts(Object("x", ScanObjectKind.ArchiveEntry)));
        Assert.Equal("clamd", engine.Name);
    }

    private static ClamdEngine Engine(params ClamdEndpoint[] endpoints) => new(new ClamdOptions { Endpoints = endpoints });

    private static ScanObject Object(string content, ScanObjectKind kind = ScanObjectKind.Root)
    {
        var bytes = Encoding.ASCII.GetBytes(content);
        return new ScanObject("test object", kind, _ => ValueTask.FromResult<Stream>(new MemoryStream(bytes, writable: false)))
        {
            Length = bytes.Length,
        };
    }
}
