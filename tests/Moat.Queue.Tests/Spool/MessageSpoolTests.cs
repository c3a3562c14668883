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
        Assert.Equal(content, await ReadContentAsync(QueueState.Incoming, id));
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
    public async Task A_split_gives_some_recipients_a_copy_of_their_own_and_keeps_the_others_on_the_original()
    {
        var content = TestQueue.Message();
        var envelope = TestQueue.Envelope("sender@origin.test", "a@dest.test", "b@dest.test", "c@dest.test");
        envelope.LastError = "held: unknown sender";
        var id = await TestQueue.CommitAsync(spool, content, envelope, QueueState.Hold);

        var copy = await spool.SplitAsync(QueueState.Hold, id, r => r.Address == "b@dest.test", QueueState.Incoming, CancellationToken.None);

        Assert.NotEqual(id, copy);
        Assert.Equal(content, await ReadContentAsync(QueueState.Incoming, copy));
        var released = await spool.ReadEnvelopeAsync(QueueState.Incoming, copy, CancellationToken.None);
        Assert.Equal(["b@dest.test"], released.Recipients.Select(r => r.Address));
        Assert.Equal("sender@origin.test", released.Sender);
        Assert.Equal(envelope.ReceivedAt, released.ReceivedAt);
        var kept = await spool.ReadEnvelopeAsync(QueueState.Hold, id, CancellationToken.None);
        Assert.Equal(["a@dest.test", "c@dest.test"], kept.Recipients.Select(r => r.Address));
        Assert.Equal("held: unknown sender", kept.LastError);
        Assert.Equal(content, await ReadContentAsync(QueueState.Hold, id));
    }

    [Fact]
    public async Task A_split_needs_some_but_not_all_recipients()
    {
        var id = await TestQueue.CommitAsync(spool, TestQueue.Message(), TestQueue.Envelope("s@origin.test", "a@dest.test", "b@dest.test"), QueueState.Hold);

        await Assert.ThrowsAsync<ArgumentException>(() => spool.SplitAsync(QueueState.Hold, id, _ => true, QueueState.Incoming, CancellationToken.None));
        await Assert.ThrowsAsync<ArgumentException>(() => spool.SplitAsync(QueueState.Hold, id, _ => false, QueueState.Incoming, CancellationToken.None));

        Assert.Equal([id], spool.ListIds(QueueState.Hold));
        Assert.Empty(spool.ListIds(QueueState.Incoming));
    }

    [Fact]
    public async Task A_message_is_one_file_that_starts_with_the_content()
    {
        var content = TestQueue.Message();
        var id = await TestQueue.CommitAsync(spool, content, TestQueue.Envelope("s@origin.test", "r@dest.test"));

        var file = Assert.Single(Directory.GetFiles(spool.Root, "*", SearchOption.AllDirectories));
        Assert.Equal(spool.MessagePath(QueueState.Incoming, id), file);
        var bytes = await File.ReadAllBytesAsync(file);
        Assert.Equal(content, bytes[..content.Length]);
        Assert.EndsWith("MOATEND\n", Encoding.ASCII.GetString(bytes), StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(spool.Root, "content")));
    }

    [Fact]
    public async Task Readers_of_the_content_stop_where_the_content_ends()
    {
        var content = TestQueue.Message();
        var id = await TestQueue.CommitAsync(spool, content, TestQueue.Envelope("s@origin.test", "r@dest.test"));

        await using var stream = spool.OpenContent(QueueState.Incoming, id);
        Assert.Equal(content.Length, stream.Length);
        stream.Seek(-2, SeekOrigin.End);
        Assert.Equal('\r', stream.ReadByte());
        Assert.Equal('\n', stream.ReadByte());
        Assert.Equal(-1, stream.ReadByte());
    }

    [Fact]
    public async Task A_new_delivery_state_is_appended_and_read_back()
    {
        var content = TestQueue.Message();
        var id = await TestQueue.CommitAsync(spool, content, TestQueue.Envelope("s@origin.test", "a@dest.test", "b@dest.test"));
        Assert.True(spool.TryMove(id, QueueState.Incoming, QueueState.Active));
        var path = spool.MessagePath(QueueState.Active, id);
        var before = new FileInfo(path).Length;

        var envelope = await spool.ReadEnvelopeAsync(QueueState.Active, id, CancellationToken.None);
        envelope.Attempts = 1;
        envelope.Recipients[0].Status = RecipientStatus.Delivered;
        envelope.Recipients[1].LastReply = "451 4.3.0 try later";
        envelope.NextAttemptAt = DateTimeOffset.UtcNow.AddMinutes(5);
        await spool.WriteEnvelopeAsync(QueueState.Active, envelope, CancellationToken.None);

        Assert.True(new FileInfo(path).Length > before);
        var read = await spool.ReadEnvelopeAsync(QueueState.Active, id, CancellationToken.None);
        Assert.Equal(1, read.Attempts);
        Assert.Equal(RecipientStatus.Delivered, read.Recipients[0].Status);
        Assert.Equal("451 4.3.0 try later", read.Recipients[1].LastReply);
        Assert.Equal(content, await ReadContentAsync(QueueState.Active, id));
        Assert.True(await spool.VerifyContentAsync(QueueState.Active, read, CancellationToken.None));
    }

    [Fact]
    public async Task A_torn_append_falls_back_to_the_previous_record_and_is_overwritten_by_the_next()
    {
        var id = await TestQueue.CommitAsync(spool, TestQueue.Message(), TestQueue.Envelope("s@origin.test", "a@dest.test"));
        Assert.True(spool.TryMove(id, QueueState.Incoming, QueueState.Active));
        var path = spool.MessagePath(QueueState.Active, id);
        var envelope = await spool.ReadEnvelopeAsync(QueueState.Active, id, CancellationToken.None);
        envelope.Attempts = 1;
        await spool.WriteEnvelopeAsync(QueueState.Active, envelope, CancellationToken.None);
        var good = new FileInfo(path).Length;

        // Kill point: a crash while the next record was being appended leaves part of it.
        envelope.Attempts = 2;
        var record = SpoolRecord.Serialize(envelope, envelope.Size);
        await using (var stream = new FileStream(path, FileMode.Append))
        {
            await stream.WriteAsync(record.AsMemory(0, record.Length - 10));
        }

        Assert.Equal(1, (await spool.ReadEnvelopeAsync(QueueState.Active, id, CancellationToken.None)).Attempts);
        var result = await spool.RecoverAsync(CancellationToken.None);
        Assert.Equal(0, result.MovedToCorrupt);

        envelope.Attempts = 3;
        await spool.WriteEnvelopeAsync(QueueState.Incoming, envelope, CancellationToken.None);
        Assert.Equal(good + record.Length, new FileInfo(spool.MessagePath(QueueState.Incoming, id)).Length);
        Assert.Equal(3, (await spool.ReadEnvelopeAsync(QueueState.Incoming, id, CancellationToken.None)).Attempts);
    }

    [Fact]
    public async Task Many_updates_keep_the_file_bounded()
    {
        var content = TestQueue.Message();
        var id = await TestQueue.CommitAsync(spool, content, TestQueue.Envelope("s@origin.test", "a@dest.test"));
        Assert.True(spool.TryMove(id, QueueState.Incoming, QueueState.Active));
        var envelope = await spool.ReadEnvelopeAsync(QueueState.Active, id, CancellationToken.None);
        for (var attempt = 1; attempt <= 100; attempt++)
        {
            envelope.Attempts = attempt;
            envelope.LastError = "451 " + new string('x', 10_000);
            await spool.WriteEnvelopeAsync(QueueState.Active, envelope, CancellationToken.None);
        }

        Assert.True(new FileInfo(spool.MessagePath(QueueState.Active, id)).Length < 300 * 1024);
        var read = await spool.ReadEnvelopeAsync(QueueState.Active, id, CancellationToken.None);
        Assert.Equal(100, read.Attempts);
        Assert.Equal(content, await ReadContentAsync(QueueState.Active, id));
        Assert.Empty(Directory.GetFiles(Path.Combine(spool.Root, "tmp")));
    }

    [Fact]
    public async Task A_record_forged_inside_the_content_is_never_taken_for_the_envelope()
    {
        // A sender can compute a valid record (the checksum is not secret); not the queue id.
        var forged = TestQueue.Envelope("evil@origin.test", "victim@elsewhere.test");
        forged.Id = QueueId.New(DateTimeOffset.UtcNow);
        var body = TestQueue.Message();
        forged.Size = body.Length;
        var content = body.Concat(SpoolRecord.Serialize(forged, body.Length)).ToArray();
        var id = await TestQueue.CommitAsync(spool, content, TestQueue.Envelope("s@origin.test", "r@dest.test"));
        Assert.Equal("s@origin.test", (await spool.ReadEnvelopeAsync(QueueState.Incoming, id, CancellationToken.None)).Sender);

        // Our own record damaged: the forged one must not stand in for it.
        var path = spool.MessagePath(QueueState.Incoming, id);
        await using (var stream = new FileStream(path, FileMode.Open))
        {
            stream.SetLength(content.Length + 5);
        }

        await Assert.ThrowsAsync<CorruptMessageException>(() => spool.ReadEnvelopeAsync(QueueState.Incoming, id, CancellationToken.None));
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
        await File.WriteAllBytesAsync(Path.Combine(spool.Root, "tmp", id), TestQueue.Message()[..20]);
        await File.WriteAllBytesAsync(Path.Combine(spool.Root, "tmp", id + ".0123"), [(byte)'s']);

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
        var path = Path.Combine(spool.Root, "tmp", QueueId.New(DateTimeOffset.UtcNow));
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
    public async Task Recovery_moves_a_truncated_message_to_corrupt()
    {
        var id = await TestQueue.CommitAsync(spool, TestQueue.Message(), TestQueue.Envelope("s@origin.test", "r@dest.test"));
        await using (var stream = new FileStream(spool.MessagePath(QueueState.Incoming, id), FileMode.Open))
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
        var path = spool.MessagePath(QueueState.Hold, id);
        var bytes = await File.ReadAllBytesAsync(path);
        var sender = Encoding.ASCII.GetBytes("\"s@origin.test\"");
        var at = bytes.AsSpan().LastIndexOf(sender);
        bytes[at + 1] = (byte)'x';
        await File.WriteAllBytesAsync(path, bytes);

        var result = await spool.RecoverAsync(CancellationToken.None);

        Assert.Equal(1, result.MovedToCorrupt);
        Assert.Equal(QueueState.Corrupt, spool.FindState(id));
        Assert.Contains(log.Entries, e => e.Level == LogLevel.Warning && e.Message.Contains("checksum", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Recovery_survives_garbage_in_a_state_folder()
    {
        var id = QueueId.New(DateTimeOffset.UtcNow);
        await File.WriteAllBytesAsync(spool.MessagePath(QueueState.Deferred, id), Encoding.ASCII.GetBytes("not an envelope"));

        var result = await spool.RecoverAsync(CancellationToken.None);

        Assert.Equal(1, result.MovedToCorrupt);
        Assert.Equal(QueueState.Corrupt, spool.FindState(id));
    }

    [Fact]
    public async Task Content_checksum_detects_a_changed_byte()
    {
        var id = await TestQueue.CommitAsync(spool, TestQueue.Message(), TestQueue.Envelope("s@origin.test", "r@dest.test"));
        var envelope = await spool.ReadEnvelopeAsync(QueueState.Incoming, id, CancellationToken.None);
        Assert.True(await spool.VerifyContentAsync(QueueState.Incoming, envelope, CancellationToken.None));

        var path = spool.MessagePath(QueueState.Incoming, id);
        var bytes = await File.ReadAllBytesAsync(path);
        bytes[(int)envelope.Size - 3] ^= 0x20;
        await File.WriteAllBytesAsync(path, bytes);

        Assert.False(await spool.VerifyContentAsync(QueueState.Incoming, envelope, CancellationToken.None));
    }

    [Fact]
    public async Task Reading_for_delivery_checks_the_content_too()
    {
        var id = await TestQueue.CommitAsync(spool, TestQueue.Message(), TestQueue.Envelope("s@origin.test", "r@dest.test"));
        Assert.Equal(id, (await spool.ReadVerifiedAsync(QueueState.Incoming, id, CancellationToken.None)).Id);

        var path = spool.MessagePath(QueueState.Incoming, id);
        var bytes = await File.ReadAllBytesAsync(path);
        bytes[7] ^= 0x20;
        await File.WriteAllBytesAsync(path, bytes);

        var error = await Assert.ThrowsAsync<CorruptMessageException>(() => spool.ReadVerifiedAsync(QueueState.Incoming, id, CancellationToken.None));
        Assert.Contains("checksum", error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_move_is_won_by_exactly_one_side()
    {
        var id = await TestQueue.CommitAsync(spool, TestQueue.Message(), TestQueue.Envelope("s@origin.test", "r@dest.test"));

        Assert.True(spool.TryMove(id, QueueState.Incoming, QueueState.Active));
        Assert.False(spool.TryMove(id, QueueState.Incoming, QueueState.Hold));
        Assert.Equal(QueueState.Active, spool.FindState(id));
    }

    [Fact]
    public async Task A_move_never_replaces_a_file_in_the_target_state()
    {
        var id = await TestQueue.CommitAsync(spool, TestQueue.Message(), TestQueue.Envelope("s@origin.test", "r@dest.test"));
        await File.WriteAllTextAsync(spool.MessagePath(QueueState.Hold, id), "other");

        Assert.False(spool.TryMove(id, QueueState.Incoming, QueueState.Hold));
        Assert.Equal("other", await File.ReadAllTextAsync(spool.MessagePath(QueueState.Hold, id)));
        Assert.Equal([id], spool.ListIds(QueueState.Incoming));
    }

    private async Task<byte[]> ReadContentAsync(QueueState state, string id)
    {
        await using var stream = spool.OpenContent(state, id);
        using var copy = new MemoryStream();
        await stream.CopyToAsync(copy);
        return copy.ToArray();
    }
}
