using Moat.Queue.Spool;
using Moat.Testing;

namespace Moat.Queue.Tests.Spool;

public sealed class FileSyncTests : IDisposable
{
    private readonly TempFolder folder = new();

    public void Dispose() => folder.Dispose();

    [Fact]
    public async Task A_rename_never_replaces_its_target()
    {
        var source = folder.Combine("source");
        var target = folder.Combine("target");
        await File.WriteAllTextAsync(source, "new");
        await File.WriteAllTextAsync(target, "old");

        Assert.Equal(RenameResult.TargetExists, FileSync.RenameNoReplace(source, target));
        Assert.Equal("old", await File.ReadAllTextAsync(target));
        Assert.Equal("new", await File.ReadAllTextAsync(source));

        File.Delete(target);
        Assert.Equal(RenameResult.Renamed, FileSync.RenameNoReplace(source, target));
        Assert.Equal("new", await File.ReadAllTextAsync(target));
        Assert.False(File.Exists(source));

        Assert.Equal(RenameResult.SourceMissing, FileSync.RenameNoReplace(source, target));
    }

    [Fact]
    public void A_directory_can_be_synced() => FileSync.SyncDirectory(folder.Path);
}
