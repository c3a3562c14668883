using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using Moat.Queue.Spool;
using Moat.Testing;

namespace Moat.Queue.Tests.Spool;

public sealed class MessageSpoolTests : IDisposable
{
    private readonly TempFolder folder = new();
    private readonly ListLogger<MessageSpool> log = new();
    private readonly MessageSpool spool;

    public MessageSpoolTests()
    {
        spool = new MessageSpool(Options(), log);
    }

    public void Dispose() => folder.Dispose();

    /// <summary>No grace for temp files: these tests simulate what a crash left behind.</summary>
    private QueueOptions Options()
    {
        var options = TestQueue.Options(folder);
        options.TempFileGrace = TimeSpan.Zero;
        return options;
    }

    [Fact]
    public async Task Commit_publishes_content_and_envelope_in_incoming()
    {
        var content = TestQueue.Message(body: "caf\u00e9\r\n");
        var id = await TestQueue.CommitAsync(spool, content, TestQueue.Envelope("sender@origin.test", "a@dest.test", "b@dest.test"));

        Assert.Equal([id], spool.ListIds(QueueState.Incoming));
        Assert.Equal(content, await File.ReadAllBytesAsync(spool.ContentPath(id)));
        var envelope = await spool.ReadEnvelopeAsync(QueueState.Incoming, id, CancellationToken.None);
        Assert.Equal(id, envelope.Id);
        Assert.Equal(content.Length, envelope.Size);
        Assert.True(envelope.EightBit);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(content)), envelope.ContentSha256);
        Assert.Equal(["a@dest.test", "b@dest.test"], envelope.Recipients.Select(r => r.Address));
        Assert.All(envelope.Recipients, r => Assert.Equal(RecipientStatus.Pending, r.Status));
        Assert.NotEqual(default, envelope.ReceivedAt);
        Assert.Empty(Directory.GetFiles(Path.Combine(spool.Root, "tmp")));
    }

    [Fact]
    public async Task Commit_to_hold_keeps_the_message_out_of_incoming()
    {
        var id = await TestQueue.CommitAsync(spool, TestQueue.Message(), TestQueue.Envelope("s@origin.test", "r@dest.test"), QueueState.Hold);

        Assert.Empty(spool.ListIds(QueueState.Incoming));
        Assert.Equal(QueueState.Hold, spool.FindState(id));
    }

    [Fact]
    public async Task Null_sender_and_dsn_parameters_survive_the_round_trip()
    {
        var envelope = TestQueue.Envelope(string.Empty, "r@dest.test");
        envelope.Ret = "HDRS";
        envelope.EnvelopeId = "env-1";
        envelope.Recipients[0].Notify = "FAILURE,DELAY";
        envelope.Recipients[0].OriginalRecipient = "rfc822;R@Dest.test";
        var id = await TestQueue.CommitAsync(spool, TestQueue.Message(), envelope);

        var read = await spool.ReadEnvelopeAsync(QueueState.Incoming, id, CancellationToken.None);
        Assert.True(read.IsNullSender);
        Assert.Equal("HDRS", read.Ret);
        Assert.Equal("env-1", read.EnvelopeId);
        Assert.Equal("FAILURE,DELAY", read.Recipients[0].Notify);
        Assert.Equal("rfc822;R@Dest.test", read.Recipients[0].OriginalRecipient);
        Assert.Equal("127.0.0.1", read.ClientAddress);
        Assert.Equal("client.test", read.HeloName);
        Assert.Equal("inbound", read.Listener);
    }

    [Fact]
    public async Task Content_written_so_far_can_be_read_before_commit()
    {
        await using var writer = await spool.CreateAsync(CancellationToken.None);
        var content = TestQueue.Message();
        await writer.Content.WriteAsync(content);
        Assert.False(writer.Content.CanRead);

        await using (var read = await writer.OpenContentForReadAsync(CancellationToken.None))
        {
            using var copy = new MemoryStream();
            await read.CopyToAsync(copy);
            Assert.Equal(content, copy.ToArray());
        }

        await writer.CommitAsync(TestQueue.Envelope("s@origin.test", "r@dest.test"), QueueState.Incoming, CancellationToken.None);
        Assert.Single(spool.ListIds(QueueState.Incoming));
    }

    [Fact]
    public async Task Abort_and_dispose_without_commit_leave_nothing()
    {
        var writer = await spool.CreateAsync(CancellationToken.None);
        await writer.Content.WriteAsync(TestQueue.Message());
        await writer.AbortAsync();

        await using (var second = await spool.CreateAsync(CancellationToken.None))
        {
            await second.Content.WriteAsync(TestQueue.Message());
        }

        Assert.Equal(0, TestQueue.CountAll(spool));
        Assert.Empty(Directory.GetFiles(Path.Combine(spool.Root, "tmp")));
        Assert.Empty(Directory.GetFiles(Path.Combine(spool.Root, "content")));
    }

    [Fact]
    public async Task Commit_rejects_states_other_than_incoming_and_hold()
    {
        await using var writer = await spool.CreateAsync(CancellationToken.None);
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(
            () => writer.CommitAsync(TestQueue.Envelope("s@o.test", "r@d.test"), QueueState.Active, CancellationToken.None).AsTask());
    }

    [Fact]
    public async Task Recovery_returns_active_messages_to_incoming()
    {
        var id = await TestQueue.CommitAsync(spool, TestQueue.Message(), TestQueue.Envelope("s@origin.test", "r@dest.test"));
        Assert.True(spool.TryMove(id, QueueState.Incoming, QueueState.Active));

        var result = await spool.RecoverAsync(CancellationToken.None);

        Assert.Equal(1, result.ReturnedFromActive);
        Assert.Equal(QueueState.Incoming, spool.FindState(id));
    }

    [Fact]
    public async Task Recovery_deletes_a_temp_file_that_was_never_published()
    {
        // Kill point: a process died while DATA was being written; its half file remains.
        var id = QueueId.New(DateTimeOffset.UtcNow);
        await File.WriteAllBytesAsync(Path.Combine(spool.Root, "tmp", id + ".content"), TestQueue.Message()[..20]);
        await File.WriteAllBytesAsync(Path.Combine(spool.Root, "tmp", id + ".envelope"), [(byte)'s']);

        var result = await spool.RecoverAsync(CancellationToken.None);

        Assert.Equal(2, result.TempFilesDeleted);
        Assert.Empty(Directory.GetFiles(Path.Combine(spool.Root, "tmp")));
        Assert.Equal(0, TestQueue.CountAll(spool));
    }

    [Fact]
    public async Task Young_temp_files_of_other_processes_are_left_alone()
    {
        var options = TestQueue.Options(folder);
        Assert.Equal(TimeSpan.FromMinutes(15), options.TempFileGrace);
        var path = Path.Combine(spool.Root, "tmp", QueueId.New(DateTimeOffset.UtcNow) + ".content");
        await File.WriteAllBytesAsync(path, TestQueue.Message());

        var result = await new MessageSpool(options).RecoverAsync(CancellationToken.None);

        Assert.Equal(0, result.TempFilesDeleted);
        Assert.True(File.Exists(path));
    }

    [Fact]
    public async Task Cleanup_never_deletes_a_temp_file_this_process_is_writing()
    {
        await using var writer = await spool.CreateAsync(CancellationToken.None);
        await writer.Content.WriteAsync(TestQueue.Message());
        await writer.Content.FlushAsync();

        Assert.Equal(0, spool.CleanTempFiles());
        await writer.CommitAsync(TestQueue.Envelope("s@origin.test", "r@dest.test"), QueueState.Incoming, CancellationToken.None);
        Assert.Single(spool.ListIds(QueueState.Incoming));
    }

    [Fact]
    public async Task Recovery_deletes_content_whose_envelope_was_never_published()
    {
        // Kill point: between publishing the content and publishing the envelope.
        var id = await TestQueue.CommitAsync(spool, TestQueue.Message(), TestQueue.Envelope("s@origin.test", "r@dest.test"));
        File.Delete(spool.EnvelopePath(QueueState.Incoming, id));

        var result = await spool.RecoverAsync(CancellationToken.None);

        Assert.Equal(1, result.OrphanContentDeleted);
        Assert.False(File.Exists(spool.ContentPath(id)));
    }

    [Fact]
    public async Task Recovery_moves_a_truncated_message_to_corrupt()
    {
        var id = await TestQueue.CommitAsync(spool, TestQueue.Message(), TestQueue.Envelope("s@origin.test", "r@dest.test"));
        await using (var stream = new FileStream(spool.ContentPath(id), FileMode.Open))
        {
            stream.SetLength(stream.Length / 2);
        }

        var result = await spool.RecoverAsync(CancellationToken.None);

        Assert.Equal(1, result.MovedToCorrupt);
        Assert.Equal(QueueState.Corrupt, spool.FindState(id));
        Assert.Contains(log.Entries, e => e.Level == LogLevel.Warning && e.Message.Contains(id, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Recovery_moves_an_envelope_with_a_bad_checksum_to_corrupt()
    {
        var id = await TestQueue.CommitAsync(spool, TestQueue.Message(), TestQueue.Envelope("s@origin.test", "r@dest.test"), QueueState.Hold);
        var path = spool.EnvelopePath(QueueState.Hold, id);
        var text = await File.ReadAllTextAsync(path);
        await File.WriteAllTextAsync(path, text.Replace("s@origin.test", "x@origin.test", StringComparison.Ordinal));

        var result = await spool.RecoverAsync(CancellationToken.None);

        Assert.Equal(1, result.MovedToCorrupt);
        Assert.Equal(QueueState.Corrupt, spool.FindState(id));
        Assert.Contains(log.Entries, e => e.Level == LogLevel.Warning && e.Message.Contains("checksum", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Recovery_survives_garbage_in_a_state_folder()
    {
        var id = QueueId.New(DateTimeOffset.UtcNow);
        await File.WriteAllBytesAsync(spool.EnvelopePath(QueueState.Deferred, id), Encoding.ASCII.GetBytes("not an envelope"));

        var result = await spool.RecoverAsync(CancellationToken.None);

        Assert.Equal(1, result.MovedToCorrupt);
        Assert.Equal(QueueState.Corrupt, spool.FindState(id));
    }

    [Fact]
    public async Task Content_checksum_detects_a_changed_byte()
    {
        var id = await TestQueue.CommitAsync(spool, TestQueue.Message(), TestQueue.Envelope("s@origin.test", "r@dest.test"));
        var envelope = await spool.ReadEnvelopeAsync(QueueState.Incoming, id, CancellationToken.None);
        Assert.True(await spool.VerifyContentAsync(envelope, CancellationToken.None));

        var bytes = await File.ReadAllBytesAsync(spool.ContentPath(id));
        bytes[^3] ^= 0x20;
        await File.WriteAllBytesAsync(spool.ContentPath(id), bytes);

        Assert.False(await spool.VerifyContentAsync(envelope, CancellationToken.None));
    }

    [Fact]
    public async Task A_move_is_won_by_exactly_one_side()
    {
        var id = await TestQueue.CommitAsync(spool, TestQueue.Message(), TestQueue.Envelope("s@origin.test", "r@dest.test"));

        Assert.True(spool.TryMove(id, QueueState.Incoming, QueueState.Active));
        Assert.False(spool.TryMove(id, QueueState.Incoming, QueueState.Hold));
        Assert.Equal(QueueState.Active, spool.FindState(id));
    }
}
