using System.Text;
using Moat.Queue.Admin;
using Moat.Queue.Delivery;
using Moat.Queue.Dns;
using Moat.Queue.Manager;
using Moat.Queue.Spool;
using Moat.Testing;

namespace Moat.Queue.Tests.Manager;

/// <summary>The whole path: spool → queue manager → MailKit → a real SMTP server on loopback.</summary>
public sealed class QueueManagerTests : IDisposable
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);
    private readonly TempFolder folder = new();

    public void Dispose() => folder.Dispose();

    [Fact]
    public async Task A_committed_message_is_delivered_at_once_and_removed()
    {
        using var server = await AioSmtpdServer.StartAsync();
        var (options, spool) = Setup(server.Port);
        await using var manager = await StartAsync(options, spool);

        var content = TestQueue.Message("hello");
        await TestQueue.CommitAsync(spool, content, TestQueue.Envelope("sender@origin.test", "a@dest.test"));

        var message = Assert.Single(await server.WaitForMessagesAsync(1, Wait));
        Assert.Equal(content, message.Content);
        await TestQueue.WaitUntilAsync(() => TestQueue.CountAll(spool) == 0, "the queue is empty");
    }

    [Fact]
    public async Task Partial_rejection_delivers_one_and_returns_a_dsn_for_the_other()
    {
        using var server = await AioSmtpdServer.StartAsync(new AioSmtpdOptions().RejectRecipient("bad@dest.test", "550 5.1.1 no such user"));
        var (options, spool) = Setup(server.Port);
        await using var manager = await StartAsync(options, spool);

        await TestQueue.CommitAsync(spool, TestQueue.Message("partly"), TestQueue.Envelope("sender@origin.test", "good@dest.test", "bad@dest.test"));

        var messages = await server.WaitForMessagesAsync(2, Wait);
        await TestQueue.WaitUntilAsync(() => TestQueue.CountAll(spool) == 0, "the queue is empty");
        Assert.Equal(2, server.Messages().Count);
        var delivered = messages.Single(m => m.MailFrom.Length > 0);
        Assert.Equal(["good@dest.test"], delivered.Recipients);
        var dsn = messages.Single(m => m.MailFrom.Length == 0);
        Assert.Equal(["sender@origin.test"], dsn.Recipients);
        var text = Encoding.UTF8.GetString(dsn.Content);
        Assert.Contains("report-type=delivery-status", text, StringComparison.Ordinal);
        Assert.Contains("Final-Recipient: rfc822; bad@dest.test", text, StringComparison.Ordinal);
        Assert.Contains("Status: 5.1.1", text, StringComparison.Ordinal);
        Assert.Contains("Diagnostic-Code: smtp; 550 5.1.1 no such user", text, StringComparison.Ordinal);
        Assert.DoesNotContain("good@dest.test>:", text, StringComparison.Ordinal);

        // The returned message is the content only, never the envelope records behind it.
        Assert.Contains("Subject: partly", text, StringComparison.Ordinal);
        Assert.DoesNotContain("MOATREC2", text, StringComparison.Ordinal);
        Assert.DoesNotContain("ContentSha256", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_temporary_failure_is_deferred_then_delivered_on_retry()
    {
        using var server = await AioSmtpdServer.StartAsync(new AioSmtpdOptions().TempFailRecipient("later@dest.test", times: 1));
        var (options, spool) = Setup(server.Port);
        options.Retry.First = TimeSpan.FromSeconds(1);
        await using var manager = await StartAsync(options, spool);

        var content = TestQueue.Message();
        var id = await TestQueue.CommitAsync(spool, content, TestQueue.Envelope("sender@origin.test", "later@dest.test"));

        await TestQueue.WaitUntilAsync(() => spool.FindState(id) == QueueState.Deferred, "the message is deferred");
        var deferred = await spool.ReadEnvelopeAsync(QueueState.Deferred, id, CancellationToken.None);
        Assert.Equal(1, deferred.Attempts);
        Assert.StartsWith("451 4.2.0", deferred.LastError, StringComparison.Ordinal);
        Assert.NotNull(deferred.NextAttemptAt);
        Assert.Equal(RecipientStatus.Pending, Assert.Single(deferred.Recipients).Status);

        // Delivered from a file that has a second envelope record now: exactly the content arrives.
        var delivered = Assert.Single(await server.WaitForMessagesAsync(1, Wait));
        Assert.Equal(["later@dest.test"], delivered.Recipients);
        Assert.Equal(content, delivered.Content);
        await TestQueue.WaitUntilAsync(() => TestQueue.CountAll(spool) == 0, "the queue is empty");
    }

    [Fact]
    public async Task Expired_messages_fail_with_4_4_7_and_a_dsn()
    {
        using var server = await AioSmtpdServer.StartAsync(new AioSmtpdOptions().TempFailRecipient("later@dest.test", times: 100));
        var (options, spool) = Setup(server.Port);
        options.MaximalLifetime = TimeSpan.Zero;
        await using var manager = await StartAsync(options, spool);

        await TestQueue.CommitAsync(spool, TestQueue.Message(), TestQueue.Envelope("sender@origin.test", "later@dest.test"));

        var dsn = Assert.Single(await server.WaitForMessagesAsync(1, Wait));
        Assert.Equal(string.Empty, dsn.MailFrom);
        var text = Encoding.UTF8.GetString(dsn.Content);
        Assert.Contains("Status: 4.4.7", text, StringComparison.Ordinal);
        Assert.Contains("message expired", text, StringComparison.Ordinal);
        await TestQueue.WaitUntilAsync(() => TestQueue.CountAll(spool) == 0, "the queue is empty");
    }

    [Theory]
    [InlineData("", null)]
    [InlineData("sender@origin.test", "NEVER")]
    [InlineData("sender@origin.test", "SUCCESS")]
    public async Task No_dsn_for_the_null_sender_or_when_not_asked_for(string sender, string? notify)
    {
        using var server = await AioSmtpdServer.StartAsync(new AioSmtpdOptions().RejectRecipient("bad@dest.test"));
        var (options, spool) = Setup(server.Port);
        await using var manager = await StartAsync(options, spool);
        var envelope = TestQueue.Envelope(sender, "bad@dest.test");
        envelope.Recipients[0].Notify = notify;

        await TestQueue.CommitAsync(spool, TestQueue.Message(), envelope);

        // The DSN would be queued before the original is deleted, so an empty queue is final.
        await TestQueue.WaitUntilAsync(() => TestQueue.CountAll(spool) == 0, "the queue is empty");
        Assert.Empty(server.Messages());
    }

    [Fact]
    public async Task Several_messages_to_one_destination_share_one_connection()
    {
        using var server = await AioSmtpdServer.StartAsync();
        var (options, spool) = Setup(server.Port);
        options.MaxConcurrentPerDestination = 1;
        for (var i = 0; i < 5; i++)
        {
            await TestQueue.CommitAsync(spool, TestQueue.Message("m" + i), TestQueue.Envelope("sender@origin.test", $"r{i}@dest.test"));
        }

        await using var manager = await StartAsync(options, spool);

        await server.WaitForMessagesAsync(5, Wait);
        Assert.Equal(1, server.ConnectionsUsed());
        Assert.Equal(1, manager.SmtpAgent.ConnectionsOpened);
    }

    [Fact]
    public async Task Held_messages_wait_until_released()
    {
        using var server = await AioSmtpdServer.StartAsync();
        var (options, spool) = Setup(server.Port);
        await using var manager = await StartAsync(options, spool);

        var id = await TestQueue.CommitAsync(spool, TestQueue.Message(), TestQueue.Envelope("sender@origin.test", "a@dest.test"), QueueState.Hold);
        manager.Nudge();
        await Task.Delay(600);
        Assert.Empty(server.Messages());
        Assert.Equal(QueueState.Hold, spool.FindState(id));

        Assert.True(new QueueAdmin(spool).Release(id).Success);

        // Released by "another process": noticed by the periodic rescan.
        Assert.Single(await server.WaitForMessagesAsync(1, Wait));
    }

    [Fact]
    public async Task Damaged_content_is_moved_to_corrupt_instead_of_delivered()
    {
        using var server = await AioSmtpdServer.StartAsync();
        var (options, spool) = Setup(server.Port);
        var id = await TestQueue.CommitAsync(spool, TestQueue.Message(), TestQueue.Envelope("sender@origin.test", "a@dest.test"));
        var path = spool.MessagePath(QueueState.Incoming, id);
        var bytes = await File.ReadAllBytesAsync(path);
        bytes[20] ^= 0x01;
        await File.WriteAllBytesAsync(path, bytes);

        await using var manager = await StartAsync(options, spool);

        await TestQueue.WaitUntilAsync(() => spool.FindState(id) == QueueState.Corrupt, "the message is in corrupt");
        Assert.Empty(server.Messages());
    }

    [Fact]
    public async Task Maildir_routes_are_delivered_by_the_manager()
    {
        var options = TestQueue.Options(folder);
        options.Delivery.Routes.Add(new RouteOptions { Domain = "local.test", Type = RouteType.Maildir, Folder = folder.Combine("mail") });
        var spool = new MessageSpool(options);
        await using var manager = await StartAsync(options, spool);

        await TestQueue.CommitAsync(spool, TestQueue.Message(), TestQueue.Envelope("sender@origin.test", "user@local.test"));

        await TestQueue.WaitUntilAsync(() => TestQueue.CountAll(spool) == 0, "the queue is empty");
        Assert.Single(Directory.GetFiles(folder.Combine("mail", "user@local.test", "new")));
    }

    [Fact]
    public async Task Stopping_returns_a_message_in_delivery_to_incoming()
    {
        // A peer that accepts the connection and then never says a word.
        var silent = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        silent.Start();
        try
        {
            var (options, spool) = Setup(((System.Net.IPEndPoint)silent.LocalEndpoint).Port);
            var manager = await StartAsync(options, spool);
            var id = await TestQueue.CommitAsync(spool, TestQueue.Message(), TestQueue.Envelope("sender@origin.test", "a@dest.test"));
            using var accepted = await silent.AcceptTcpClientAsync();
            Assert.Equal(QueueState.Active, spool.FindState(id));

            await manager.StopAsync(CancellationToken.None);
            await manager.DisposeAsync();

            Assert.Equal(QueueState.Incoming, spool.FindState(id));
            var envelope = await spool.ReadEnvelopeAsync(QueueState.Incoming, id, CancellationToken.None);
            Assert.Equal(0, envelope.Attempts);
        }
        finally
        {
            silent.Stop();
        }
    }

    [Fact]
    public async Task Only_one_manager_runs_on_a_folder()
    {
        var options = TestQueue.Options(folder);
        var spool = new MessageSpool(options);
        await using var first = await StartAsync(options, spool);
        await using var second = new QueueManager(options, new MessageSpool(options), new DnsClientResolver(options.Dns));

        await Assert.ThrowsAsync<InvalidOperationException>(() => second.StartAsync(CancellationToken.None));
    }

    private (QueueOptions Options, MessageSpool Spool) Setup(int port)
    {
        var options = TestQueue.Options(folder);
        options.Delivery.Routes.Add(TestQueue.SmtpRoute("dest.test", "127.0.0.1", port));
        options.Delivery.Routes.Add(TestQueue.SmtpRoute("origin.test", "127.0.0.1", port));
        return (options, new MessageSpool(options));
    }

    private static async Task<QueueManager> StartAsync(QueueOptions options, MessageSpool spool)
    {
        var manager = new QueueManager(options, spool, new DnsClientResolver(options.Dns));
        await manager.StartAsync(CancellationToken.None);
        return manager;
    }
}
