using Moat.Queue.Delivery;
using Moat.Queue.Spool;
using Moat.Testing;

namespace Moat.Queue.Tests.Delivery;

public sealed class MaildirDeliveryAgentTests
{
    [Fact]
    public async Task Each_recipient_gets_the_exact_bytes_in_its_own_maildir()
    {
        using var folder = new TempFolder();
        var spool = new MessageSpool(TestQueue.Options(folder));
        var content = TestQueue.Message("to maildir");
        var id = await TestQueue.CommitAsync(spool, content, TestQueue.Envelope("s@origin.test", "Alice@Local.test", "bob@local.test"));
        var envelope = await spool.ReadEnvelopeAsync(QueueState.Incoming, id, CancellationToken.None);
        var route = new RouteOptions { Type = RouteType.Maildir, Folder = folder.Combine("mail") };

        var results = await new MaildirDeliveryAgent("gw.test").DeliverAsync(
            new DeliveryRequest(envelope, envelope.Recipients, route, "local.test", spool.GetContent(QueueState.Incoming, envelope)), CancellationToken.None);

        Assert.All(results, r => Assert.Equal(DeliveryOutcome.Delivered, r.Outcome));
        foreach (var user in new[] { "alice@local.test", "bob@local.test" })
        {
            var maildir = folder.Combine("mail", user);
            var file = Assert.Single(Directory.GetFiles(Path.Combine(maildir, "new")));
            Assert.Equal(content, await File.ReadAllBytesAsync(file));
            Assert.EndsWith(".gw.test", file, StringComparison.Ordinal);
            Assert.Empty(Directory.GetFiles(Path.Combine(maildir, "tmp")));
            Assert.True(Directory.Exists(Path.Combine(maildir, "cur")));
        }
    }

    [Fact]
    public void Path_separators_in_addresses_cannot_escape_the_folder()
    {
        var path = MaildirDeliveryAgent.MaildirPath("/srv/mail", "../../etc/passwd@x.test");
        Assert.Equal("/srv/mail", Path.GetDirectoryName(path));
    }
}
