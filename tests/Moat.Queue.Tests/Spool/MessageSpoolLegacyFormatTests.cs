using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Moat.Queue.Admin;
using Moat.Queue.Spool;
using Moat.Testing;

namespace Moat.Queue.Tests.Spool;

/// <summary>
/// A spool written by Moat before the one-file format (content in content/ID, the envelope in the
/// state folder) is read as it is and converted at start-up: administrators upgrade in place.
/// </summary>
public sealed class MessageSpoolLegacyFormatTests : IDisposable
{
    private readonly TempFolder folder = new();
    private readonly ListLogger<MessageSpool> log = new();
    private readonly MessageSpool spool;

    public MessageSpoolLegacyFormatTests()
    {
        var options = TestQueue.Options(folder);
        options.TempFileGrace = TimeSpan.Zero;
        spool = new MessageSpool(options, log);
    }

    public void Dispose() => folder.Dispose();

    [Fact]
    public async Task An_old_spool_is_readable_before_and_converted_at_recovery()
    {
        var incoming = WriteLegacy(QueueState.Incoming, TestQueue.Message("one"), out var first);
        var deferred = WriteLegacy(QueueState.Deferred, TestQueue.Message("two"), out var second, e =>
        {
            e.Attempts = 3;
            e.LastError = "451 4.3.0 later";
            e.NextAttemptAt = DateTimeOffset.UtcNow.AddHours(1);
            e.Recipients.Add(new EnvelopeRecipient { Address = "done@dest.test", Status = RecipientStatus.Delivered, LastReply = "250 ok" });
        });
        var held = WriteLegacy(QueueState.Hold, TestQueue.Message("three"), out var third, e => e.LastError = "held: spam");

        // Before any recovery: the admin commands and the web quarantine read the old files.
        var listed = await new QueueAdmin(spool).ListAsync(CancellationToken.None);
        Assert.Equal(3, listed.Count);
        Assert.All(listed, e => Assert.Null(e.LastError is { } error && error.StartsWith("corrupt", StringComparison.Ordinal) ? error : null));
        Assert.Contains("Subject: three", (await new QueueAdmin(spool).ShowAsync(held, CancellationToken.None))!.Headers, StringComparison.Ordinal);
        Assert.Equal(third, await ReadContentAsync(QueueState.Hold, held));
        Assert.Equal(incoming, (await spool.ReadVerifiedAsync(QueueState.Incoming, incoming, CancellationToken.None)).Id);

        var result = await spool.RecoverAsync(CancellationToken.None);

        Assert.Equal(3, result.Migrated);
        Assert.Equal(0, result.MovedToCorrupt);
        Assert.False(Directory.Exists(Path.Combine(spool.Root, "content")));
        Assert.Equal([incoming], spool.ListIds(QueueState.Incoming));
        Assert.Equal([deferred], spool.ListIds(QueueState.Deferred));
        Assert.Equal([held], spool.ListIds(QueueState.Hold));
        Assert.Equal(first, await ReadContentAsync(QueueState.Incoming, incoming));
        Assert.Equal(second, await ReadContentAsync(QueueState.Deferred, deferred));
        Assert.Equal(third, await ReadContentAsync(QueueState.Hold, held));

        var envelope = await spool.ReadEnvelopeAsync(QueueState.Deferred, deferred, CancellationToken.None);
        Assert.Equal(3, envelope.Attempts);
        Assert.Equal("451 4.3.0 later", envelope.LastError);
        Assert.Equal(RecipientStatus.Delivered, envelope.Recipients[1].Status);
        Assert.True(await spool.VerifyContentAsync(QueueState.Deferred, envelope, CancellationToken.None));
        Assert.Equal("held: spam", (await spool.ReadEnvelopeAsync(QueueState.Hold, held, CancellationToken.None)).LastError);

        // Converted means one file per message, and a second start has nothing left to do.
        Assert.Equal(3, Directory.GetFiles(spool.Root, "*", SearchOption.AllDirectories).Length);
        Assert.Equal(0, (await spool.RecoverAsync(CancellationToken.None)).Migrated);
    }

    [Fact]
    public async Task An_old_message_left_in_active_is_returned_and_converted()
    {
        var id = WriteLegacy(QueueState.Active, TestQueue.Message(), out var content);

        var result = await spool.RecoverAsync(CancellationToken.None);

        Assert.Equal(1, result.ReturnedFromActive);
        Assert.Equal(1, result.Migrated);
        Assert.Equal(content, await ReadContentAsync(QueueState.Incoming, id));
    }

    [Fact]
    public async Task A_new_delivery_state_for_an_old_message_converts_it()
    {
        var id = WriteLegacy(QueueState.Active, TestQueue.Message(), out var content);
        var envelope = await spool.ReadVerifiedAsync(QueueState.Active, id, CancellationToken.None);
        envelope.Attempts = 1;
        envelope.LastError = "451 4.3.0 later";

        await spool.WriteEnvelopeAsync(QueueState.Active, envelope, CancellationToken.None);

        Assert.Equal("451 4.3.0 later", (await spool.ReadEnvelopeAsync(QueueState.Active, id, CancellationToken.None)).LastError);
        Assert.Equal(content, await ReadContentAsync(QueueState.Active, id));
        Assert.False(File.Exists(Path.Combine(spool.Root, "content", id)));
    }

    [Fact]
    public async Task Old_messages_with_missing_or_damaged_content_go_to_corrupt()
    {
        var missing = WriteLegacy(QueueState.Incoming, TestQueue.Message(), out _);
        File.Delete(Path.Combine(spool.Root, "content", missing));
        var damaged = WriteLegacy(QueueState.Deferred, TestQueue.Message(), out var bytes);
        bytes[5] ^= 0x20;
        await File.WriteAllBytesAsync(Path.Combine(spool.Root, "content", damaged), bytes);

        var result = await spool.RecoverAsync(CancellationToken.None);

        Assert.Equal(2, result.MovedToCorrupt);
        Assert.Equal(QueueState.Corrupt, spool.FindState(missing));
        Assert.Equal(QueueState.Corrupt, spool.FindState(damaged));
        Assert.Contains(log.Entries, e => e.Level == LogLevel.Warning && e.Message.Contains(damaged, StringComparison.Ordinal));

        // The damaged one keeps its content beside it, and the admin can still delete both.
        Assert.True(File.Exists(Path.Combine(spool.StateFolder(QueueState.Corrupt), damaged + ".content")));
        var admin = new QueueAdmin(spool);
        Assert.True(admin.Delete(missing).Success);
        Assert.True(admin.Delete(damaged).Success);
        Assert.Empty(Directory.GetFiles(spool.Root, "*", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task Old_content_without_an_envelope_is_deleted()
    {
        // Kill point of the old format: between publishing the content and the envelope.
        var id = WriteLegacy(QueueState.Incoming, TestQueue.Message(), out _);
        File.Delete(spool.MessagePath(QueueState.Incoming, id));

        var result = await spool.RecoverAsync(CancellationToken.None);

        Assert.Equal(1, result.OrphanContentDeleted);
        Assert.False(Directory.Exists(Path.Combine(spool.Root, "content")));
    }

    /// <summary>Writes a message the way Moat did before version 2: content/ID plus STATE/ID.</summary>
    private string WriteLegacy(QueueState state, byte[] content, out byte[] written, Action<Envelope>? change = null)
    {
        var id = QueueId.New(DateTimeOffset.UtcNow);
        var envelope = TestQueue.Envelope("s@origin.test", "a@dest.test");
        envelope.Id = id;
        envelope.Size = content.Length;
        envelope.ContentSha256 = Convert.ToHexStringLower(SHA256.HashData(content));
        envelope.ReceivedAt = DateTimeOffset.UtcNow;
        change?.Invoke(envelope);
        Directory.CreateDirectory(Path.Combine(spool.Root, "content"));
        File.WriteAllBytes(Path.Combine(spool.Root, "content", id), content);
        File.WriteAllBytes(spool.MessagePath(state, id), LegacyEnvelopeSerializer.Serialize(envelope));
        written = content;
        return id;
    }

    private async Task<byte[]> ReadContentAsync(QueueState state, string id)
    {
        await using var stream = spool.OpenContent(state, id);
        using var copy = new MemoryStream();
        await stream.CopyToAsync(copy);
        return copy.ToArray();
    }
}
