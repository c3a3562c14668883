using Moat.Scanning.Engines;
using Moat.Scanning.Signatures;
using Moat.Scanning.Tests.Signatures;
using Moat.Testing;

namespace Moat.Scanning.Tests.Engines;

public class SignatureEngineTests
{
    private static ScanObject Object(byte[] content, string path = "message.eml") =>
        new(path, ScanObjectKind.Root, _ => ValueTask.FromResult<Stream>(new MemoryStream(content))) { Length = content.Length };

    [Fact]
    public async Task Starts_with_the_built_in_database_and_finds_eicar()
    {
        var engine = new SignatureEngine();
        Assert.Equal("signatures", engine.Name);
        Assert.True(engine.Accepts(Object([])));
        var verdict = await engine.ScanAsync(Object(SignatureTestData.Ascii("prefix " + SignatureTestData.Eicar + " suffix")), CancellationToken.None);
        Assert.Equal(EngineVerdictKind.Infected, verdict.Kind);
        Assert.Equal([BuiltInSignatures.EicarName], verdict.Threats);
        Assert.Equal(EngineVerdictKind.Clean, (await engine.ScanAsync(Object(SignatureTestData.Ascii("hello")), CancellationToken.None)).Kind);
        Assert.Equal(1, engine.Status.Version);
    }

    [Fact]
    public async Task Reload_swaps_in_the_new_set()
    {
        using var folder = new TempFolder();
        File.WriteAllText(folder.Combine("local.ndb"), "Local.Marker:0:*:6c6f63616c2d6d61726b6572\n");
        var engine = new SignatureEngine();
        var status = await engine.ReloadAsync(folder.Path, CancellationToken.None);
        Assert.Equal(2, status.Version);
        Assert.Contains("local.ndb", engine.Status.Statistics.Files);
        var verdict = await engine.ScanAsync(Object(SignatureTestData.Ascii("a local-marker b")), CancellationToken.None);
        Assert.Equal(["Local.Marker"], verdict.Threats);
    }

    [Fact]
    public async Task Bad_file_keeps_the_previous_set_live()
    {
        using var folder = new TempFolder();
        File.WriteAllText(folder.Combine("local.ndb"), "Local.Marker:0:*:6c6f63616c2d6d61726b6572\n");
        var engine = new SignatureEngine();
        await engine.ReloadAsync(folder.Path, CancellationToken.None);
        var before = engine.Status;

        File.WriteAllText(folder.Combine("broken.ndb"), "Broken:0:*:zz\n");
        var ex = await Assert.ThrowsAsync<SignatureLoadException>(() => engine.ReloadAsync(folder.Path, CancellationToken.None));

        Assert.Equal("broken.ndb", ex.FileName);
        Assert.Same(before, engine.Status);
        Assert.Contains("broken.ndb:1", engine.LastReloadError);
        var verdict = await engine.ScanAsync(Object(SignatureTestData.Ascii("a local-marker b")), CancellationToken.None);
        Assert.Equal(["Local.Marker"], verdict.Threats);
    }

    [Fact]
    public async Task Swaps_under_concurrent_scans_never_give_a_wrong_or_torn_answer()
    {
        // Set A knows "alpha-marker", set B knows "bravo-marker"; both know EICAR (built in).
        var setA = SignatureLoader.LoadText("a.ndb", "Alpha:0:*:616c7068612d6d61726b6572", includeBuiltIn: true);
        var setB = SignatureLoader.LoadText("b.ndb", "Bravo:0:*:627261766f2d6d61726b6572", includeBuiltIn: true);
        var engine = new SignatureEngine(setA);
        var content = SignatureTestData.Ascii("alpha-marker bravo-marker " + SignatureTestData.Eicar);
        using var stop = new CancellationTokenSource();

        var swapper = Task.Run(async () =>
        {
            for (var i = 0; i < 400; i++)
            {
                engine.Swap(i % 2 == 0 ? setB : setA);
                await Task.Yield();
            }

            stop.Cancel();
        });

        var scanners = Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
        {
            var scans = 0;
            while (!stop.IsCancellationRequested || scans == 0)
            {
                var verdict = await engine.ScanAsync(Object(content), CancellationToken.None);
                var threats = verdict.Threats.Order().ToArray();
                Assert.True(
                    threats.SequenceEqual(["Alpha", BuiltInSignatures.EicarName]) || threats.SequenceEqual(["Bravo", BuiltInSignatures.EicarName]),
                    "unexpected: " + string.Join(", ", threats));
                scans++;
            }

            return scans;
        })).ToArray();

        await swapper;
        var counts = await Task.WhenAll(scanners);
        Assert.All(counts, c => Assert.True(c > 0));
        Assert.Equal(401, engine.Status.Version);
    }

    [Fact]
    public async Task Unreadable_object_throws_rather_than_reporting_clean()
    {
        var engine = new SignatureEngine();
        var item = new ScanObject("x", ScanObjectKind.MimePart, _ => throw new IOException("gone"));
        await Assert.ThrowsAsync<IOException>(async () => await engine.ScanAsync(item, CancellationToken.None));
    }
}
