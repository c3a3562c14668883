using System.Net;
using Moat.Storage.Sqlite;
using Moat.Trust.Familiarity;

namespace Moat.Trust.Tests.Familiarity;

public sealed class FamiliarityTrackerTests : IDisposable
{
    private static readonly IPAddress Client = IPAddress.Parse("127.0.0.3");
    private readonly SqliteStorage storage = SqliteStorage.OpenInMemory();

    public void Dispose() => storage.Dispose();

    [Fact]
    public async Task ASenderBecomesFamiliarAtTheThreshold()
    {
        var tracker = new FamiliarityTracker(storage.Familiarity, new FamiliarityOptions { SenderAddressThreshold = 3, SenderDomainThreshold = 0 });

        for (var i = 0; i < 2; i++)
        {
            await tracker.RecordGoodMailAsync("Bob@Partner.test", Client, CancellationToken.None);
        }

        Assert.Null(await tracker.FindReasonAsync("bob@partner.test", Client, CancellationToken.None));
        await tracker.RecordGoodMailAsync("bob@partner.test", Client, CancellationToken.None);
        Assert.Contains("3 good messages from sender bob@partner.test", await tracker.FindReasonAsync("bob@partner.test", Client, CancellationToken.None));
    }

    [Fact]
    public async Task ADomainWithEnoughGoodMailMakesItsOtherSendersFamiliar()
    {
        var tracker = new FamiliarityTracker(storage.Familiarity, new FamiliarityOptions { SenderAddressThreshold = 0, SenderDomainThreshold = 2 });

        await tracker.RecordGoodMailAsync("bob@partner.test", Client, CancellationToken.None);
        await tracker.RecordGoodMailAsync("carol@partner.test", Client, CancellationToken.None);

        Assert.Contains("domain partner.test", await tracker.FindReasonAsync("dave@partner.test", Client, CancellationToken.None));
        Assert.Null(await tracker.FindReasonAsync("dave@other.test", Client, CancellationToken.None));
    }

    [Fact]
    public async Task NothingCountsWhenTurnedOff()
    {
        var tracker = new FamiliarityTracker(storage.Familiarity, new FamiliarityOptions { Enabled = false, SenderAddressThreshold = 1 });

        await tracker.RecordGoodMailAsync("bob@partner.test", Client, CancellationToken.None);

        Assert.Null(await tracker.FindReasonAsync("bob@partner.test", Client, CancellationToken.None));
    }
}
