using Moat.Scanning.Engines;
using Moat.Scanning.Signatures;
using Moat.Scanning.Updates;
using Moat.Testing;

namespace Moat.Scanning.Tests.Updates;

public class SignatureUpdateServiceTests
{
    private const string AlphaNdb = "Alpha.Marker:0:*:616c7068612d6d61726b6572\n";
    private const string BravoNdb = "Bravo.Marker:0:*:627261766f2d6d61726b6572\n";
    private static readonly byte[] Both = "alpha-marker bravo-marker"u8.ToArray();

    [Fact]
    public async Task Updates_from_a_folder_and_swaps_the_engine()
    {
        using var temp = new TempFolder();
        SignatureSourceFolder.Publish(temp.Combine("source"), ("alpha.ndb", AlphaNdb));
        var engine = new SignatureEngine();
        using var service = new SignatureUpdateService(new SignatureUpdateOptions { DatabaseDirectory = temp.Combine("db"), Source = temp.Combine("source") }, engine);

        var result = await service.UpdateAsync(CancellationToken.None);

        Assert.Equal(SignatureUpdateOutcome.Updated, result.Outcome);
        Assert.Equal(["alpha.ndb"], result.Files);
        Assert.True(File.Exists(temp.Combine("db", "alpha.ndb")));
        Assert.Equal(["Alpha.Marker"], engine.Current.Scan(Both));
        Assert.Equal(2, engine.Status.Version);
        var status = service.Status;
        Assert.Equal(["alpha.ndb"], status.Files);
        Assert.Equal(SignatureUpdateOutcome.Updated, status.LastAttempt!.Outcome);
        Assert.NotNull(status.InstalledAt);
        Assert.DoesNotContain(Directory.GetDirectories(temp.Combine("db")), d => Path.GetFileName(d).StartsWith('.'));
    }

    [Fact]
    public async Task Same_manifest_again_is_up_to_date()
    {
        using var temp = new TempFolder();
        SignatureSourceFolder.Publish(temp.Combine("source"), ("alpha.ndb", AlphaNdb));
        using var service = new SignatureUpdateService(new SignatureUpdateOptions { DatabaseDirectory = temp.Combine("db"), Source = temp.Combine("source") });
        await service.UpdateAsync(CancellationToken.None);
        Assert.Equal(SignatureUpdateOutcome.UpToDate, (await service.UpdateAsync(CancellationToken.None)).Outcome);
    }

    [Fact]
    public async Task Updates_over_http_from_a_loopback_server()
    {
        using var temp = new TempFolder();
        SignatureSourceFolder.Publish(temp.Combine("source"), ("alpha.ndb", AlphaNdb), ("extra.hdb", "44d88612fea8a8f36de82e1278abb02f:68:Custom.Eicar\n"));
        using var server = new LoopbackFileServer(temp.Combine("source"));
        var engine = new SignatureEngine();
        using var service = new SignatureUpdateService(new SignatureUpdateOptions { DatabaseDirectory = temp.Combine("db"), Source = server.BaseUrl }, engine);

        var result = await service.UpdateAsync(CancellationToken.None);

        Assert.Equal(SignatureUpdateOutcome.Updated, result.Outcome);
        Assert.Equal(3, server.Requests);
        Assert.Equal(["alpha.ndb", "extra.hdb"], service.Status.Files);
        Assert.Equal(["Alpha.Marker"], engine.Current.Scan(Both));
    }

    [Fact]
    public async Task Http_source_missing_file_fails_cleanly()
    {
        using var temp = new TempFolder();
        SignatureSourceFolder.Publish(temp.Combine("source"), ("alpha.ndb", AlphaNdb));
        File.Delete(temp.Combine("source", "alpha.ndb"));
        using var server = new LoopbackFileServer(temp.Combine("source"));
        using var service = new SignatureUpdateService(new SignatureUpdateOptions { DatabaseDirectory = temp.Combine("db"), Source = server.BaseUrl });

        var result = await service.UpdateAsync(CancellationToken.None);

        Assert.Equal(SignatureUpdateOutcome.Failed, result.Outcome);
        Assert.Contains("alpha.ndb", result.Message);
        Assert.Empty(service.Status.Files);
    }

    [Fact]
    public async Task Wrong_hash_in_manifest_is_rejected_and_nothing_changes()
    {
        using var temp = new TempFolder();
        SignatureSourceFolder.Publish(temp.Combine("source"), ("alpha.ndb", AlphaNdb));
        var engine = new SignatureEngine();
        using var service = new SignatureUpdateService(new SignatureUpdateOptions { DatabaseDirectory = temp.Combine("db"), Source = temp.Combine("source") }, engine);
        await service.UpdateAsync(CancellationToken.None);
        var live = engine.Status;

        SignatureSourceFolder.Publish(temp.Combine("source"), ("bravo.ndb", BravoNdb));
        File.AppendAllText(temp.Combine("source", "bravo.ndb"), "Tampered:0:*:41424344\n");
        var result = await service.UpdateAsync(CancellationToken.None);

        Assert.Equal(SignatureUpdateOutcome.Failed, result.Outcome);
        Assert.Contains("SHA-256", result.Message);
        Assert.Same(live, engine.Status);
        Assert.Equal(["alpha.ndb"], service.Status.Files);
        Assert.Equal(SignatureUpdateOutcome.Failed, service.Status.LastAttempt!.Outcome);
    }

    [Fact]
    public async Task Files_that_do_not_load_are_rejected_and_nothing_changes()
    {
        using var temp = new TempFolder();
        SignatureSourceFolder.Publish(temp.Combine("source"), ("alpha.ndb", AlphaNdb));
        var engine = new SignatureEngine();
        using var service = new SignatureUpdateService(new SignatureUpdateOptions { DatabaseDirectory = temp.Combine("db"), Source = temp.Combine("source") }, engine);
        await service.UpdateAsync(CancellationToken.None);
        var live = engine.Status;

        SignatureSourceFolder.Publish(temp.Combine("source"), ("bravo.ndb", "Broken:0:*:4\n"));
        var result = await service.UpdateAsync(CancellationToken.None);

        Assert.Equal(SignatureUpdateOutcome.Failed, result.Outcome);
        Assert.Contains("bravo.ndb:1", result.Message);
        Assert.Same(live, engine.Status);
        Assert.Equal(["alpha.ndb"], service.Status.Files);
    }

    [Theory]
    [InlineData("0000000000000000000000000000000000000000000000000000000000000000  ../evil.ndb")]
    [InlineData("0000000000000000000000000000000000000000000000000000000000000000  sub/evil.ndb")]
    [InlineData("0000000000000000000000000000000000000000000000000000000000000000  evil.exe")]
    [InlineData("not a manifest line")]
    [InlineData("")]
    public async Task Bad_manifests_are_rejected(string manifest)
    {
        using var temp = new TempFolder();
        Directory.CreateDirectory(temp.Combine("source"));
        File.WriteAllText(temp.Combine("source", "manifest.sha256"), manifest);
        using var service = new SignatureUpdateService(new SignatureUpdateOptions { DatabaseDirectory = temp.Combine("db"), Source = temp.Combine("source") });
        var result = await service.UpdateAsync(CancellationToken.None);
        Assert.Equal(SignatureUpdateOutcome.Failed, result.Outcome);
        Assert.Contains("manifest.sha256", result.Message);
        Assert.False(File.Exists(temp.Combine("evil.ndb")));
    }

    [Fact]
    public async Task Rollback_reinstates_the_previous_set_and_can_be_undone()
    {
        using var temp = new TempFolder();
        var engine = new SignatureEngine();
        using var service = new SignatureUpdateService(new SignatureUpdateOptions { DatabaseDirectory = temp.Combine("db"), Source = temp.Combine("source") }, engine);
        SignatureSourceFolder.Publish(temp.Combine("source"), ("alpha.ndb", AlphaNdb));
        await service.UpdateAsync(CancellationToken.None);
        SignatureSourceFolder.Publish(temp.Combine("source"), ("bravo.ndb", BravoNdb));
        await service.UpdateAsync(CancellationToken.None);
        Assert.Equal(["Bravo.Marker"], engine.Current.Scan(Both));
        Assert.Equal(["alpha.ndb"], service.Status.PreviousFiles);

        var rollback = await service.RollbackAsync(CancellationToken.None);

        Assert.Equal(SignatureUpdateOutcome.RolledBack, rollback.Outcome);
        Assert.Equal(["Alpha.Marker"], engine.Current.Scan(Both));
        Assert.Equal(["alpha.ndb"], service.Status.Files);
        Assert.Equal(["bravo.ndb"], service.Status.PreviousFiles);
        Assert.Equal(["Alpha.Marker"], SignatureLoader.LoadDirectory(temp.Combine("db")).Scan(Both));

        await service.RollbackAsync(CancellationToken.None);
        Assert.Equal(["Bravo.Marker"], engine.Current.Scan(Both));
    }

    [Fact]
    public async Task Rollback_without_previous_set_fails()
    {
        using var temp = new TempFolder();
        using var service = new SignatureUpdateService(new SignatureUpdateOptions { DatabaseDirectory = temp.Combine("db") });
        var result = await service.RollbackAsync(CancellationToken.None);
        Assert.Equal(SignatureUpdateOutcome.Failed, result.Outcome);
        Assert.Contains("no previous set", result.Message);
    }

    [Fact]
    public async Task Without_source_update_fails_and_schedule_returns_at_once()
    {
        using var temp = new TempFolder();
        using var service = new SignatureUpdateService(new SignatureUpdateOptions { DatabaseDirectory = temp.Combine("db"), Interval = TimeSpan.FromMinutes(5) });
        Assert.Equal(SignatureUpdateOutcome.Failed, (await service.UpdateAsync(CancellationToken.None)).Outcome);
        await service.RunAsync(CancellationToken.None);
    }

    [Fact]
    public async Task Schedule_updates_at_the_interval_until_cancelled()
    {
        using var temp = new TempFolder();
        SignatureSourceFolder.Publish(temp.Combine("source"), ("alpha.ndb", AlphaNdb));
        var engine = new SignatureEngine();
        using var service = new SignatureUpdateService(
            new SignatureUpdateOptions { DatabaseDirectory = temp.Combine("db"), Source = temp.Combine("source"), Interval = TimeSpan.FromMilliseconds(50) }, engine);
        using var cancel = new CancellationTokenSource();
        var run = service.RunAsync(cancel.Token);

        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (engine.Status.Version < 2 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }

        await cancel.CancelAsync();
        await run;
        Assert.Equal(["Alpha.Marker"], engine.Current.Scan(Both));
    }

    [Fact]
    public void Interval_must_be_positive()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new SignatureUpdateService(new SignatureUpdateOptions { DatabaseDirectory = "x", Interval = TimeSpan.Zero }));
    }
}
