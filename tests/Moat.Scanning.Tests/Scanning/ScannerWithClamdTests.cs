using System.Text;
using Moat.Scanning.Clamd;
using Moat.Scanning.Content;
using Moat.Scanning.Scanning;
using Moat.Scanning.Tests.Clamd;
using Moat.Testing;

namespace Moat.Scanning.Tests.Scanning;

/// <summary>The scanner with the real content walker, the real ClamdEngine and a real clamd.</summary>
public sealed class ScannerWithClamdTests : IClassFixture<ClamdFixture>
{
    private readonly ClamdFixture clamd;

    public ScannerWithClamdTests(ClamdFixture clamd)
    {
        this.clamd = clamd;
    }

    [Fact]
    public async Task ClamdFindsEicarInAMessageAndTheWalkerFindsItsParts()
    {
        var engine = new ClamdEngine(new ClamdOptions { Endpoints = [clamd.Tcp] });
        var scanner = new MultiEngineScanner([engine], new ScanPolicy());
        var message = Encoding.ASCII.GetBytes(Message(ClamdServer.EicarText));

        var report = await scanner.ScanAsync(Root(message), CancellationToken.None);

        Assert.Equal(ScanOutcomeKind.Infected, report.Outcome.Kind);
        var detection = Assert.Single(report.Outcome.Detections);
        Assert.Equal(new ScanDetection("clamd", ClamdServer.EicarThreat, "message.eml"), detection);
        Assert.True(report.ObjectsScanned >= 3, $"only {report.ObjectsScanned} objects");
        Assert.Equal(1, report.Engines[0].ObjectsScanned);
        Assert.True(report.BytesScanned >= message.Length);
        Assert.Empty(scanner.ActiveScans.List());
    }

    [Fact]
    public async Task ACleanMessageIsClean()
    {
        var engine = new ClamdEngine(new ClamdOptions { Endpoints = [clamd.Unix], AcceptAllObjects = true });
        var scanner = new MultiEngineScanner([engine], new ScanPolicy());

        var report = await scanner.ScanAsync(Root(Encoding.ASCII.GetBytes(Message("nothing to see here"))), CancellationToken.None);

        Assert.Equal(ScanOutcomeKind.Clean, report.Outcome.Kind);
        Assert.Equal(report.ObjectsScanned, report.Engines[0].ObjectsScanned);
    }

    [Fact]
    public async Task TheWalkersLimitViolationGivesLimitExceeded()
    {
        var engine = new ClamdEngine(new ClamdOptions { Endpoints = [clamd.Tcp] });
        var policy = new ScanPolicy { Limits = new ScanLimits { MaxObjects = 2 }, LimitAction = LimitAction.Quarantine };
        var scanner = new MultiEngineScanner([engine], policy);

        var report = await scanner.ScanAsync(Root(Encoding.ASCII.GetBytes(Message("harmless"))), CancellationToken.None);

        Assert.Equal(ScanOutcomeKind.LimitExceeded, report.Outcome.Kind);
        Assert.Equal(LimitAction.Quarantine, report.Outcome.LimitAction);
        Assert.Equal(LimitNames.Objects, Assert.Single(report.Outcome.Violations).Limit);
    }

    [Fact]
    public async Task AnUnreachableClamdMakesTheScanAnError()
    {
        var engine = new ClamdEngine(new ClamdOptions { Endpoints = [ClamdEndpoint.Tcp("127.0.0.1", FreePort.Get())] });
        var scanner = new MultiEngineScanner([engine], new ScanPolicy());

        var report = await scanner.ScanAsync(Root(Encoding.ASCII.GetBytes(Message("hello"))), CancellationToken.None);

        Assert.Equal(ScanOutcomeKind.Error, report.Outcome.Kind);
        Assert.Equal("clamd", report.Outcome.Failures[0].Source);
    }

    private static ScanObject Root(byte[] message) =>
        ScanRoots.FromStream("message.eml", _ => ValueTask.FromResult<Stream>(new MemoryStream(message, writable: false)), message.Length, isMessage: true);

    private static string Message(string attachment) => $"""
        From: a@example.test
        To: b@example.test
        Subject: test
        MIME-Version: 1.0
        Content-Type: multipart/mixed; boundary="b1"

        --b1
        Content-Type: text/plain

        see attachment
        --b1
        Content-Type: application/octet-stream; name="file.com"
        Content-Disposition: attachment; filename="file.com"
        Content-Transfer-Encoding: base64

        {Convert.ToBase64String(Encoding.ASCII.GetBytes(attachment))}
        --b1--

        """.ReplaceLineEndings("\r\n");
}
