using System.Buffers;
using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Win32.SafeHandles;

namespace Moat.Queue.Spool;

/// <summary>
/// The envelope records of a queue file. A queue file is the message content as received,
/// followed by one or more records; each record is the envelope as JSON followed by a fixed
/// 64-byte footer:
/// <code>
/// 0  "MOATREC2"                magic
/// 8  int64 LE                  content length (the content is bytes [0, length) of the file)
/// 16 int32 LE                  JSON length (the JSON ends where the footer starts)
/// 20 int32 LE                  0 (reserved)
/// 24 SHA-256(JSON, bytes 0–23) 32 bytes
/// 56 "MOATEND\n"               end magic
/// </code>
/// The last valid record counts. Delivery-state changes append a record and fsync the file
/// (Postfix likewise updates its queue file in place instead of writing a new one): no new file,
/// no rename, no folder sync. Content first keeps reading it trivial (offset 0) and lets the
/// SMTP side stream it to disk before the envelope is final. A torn append (a crash while
/// appending) leaves bytes after the last valid record; the reader then scans backwards for it.
/// </summary>
internal static class SpoolRecord
{
    public const int FooterLength = 64;

    /// <summary>Bound on one envelope's JSON (thousands of recipients fit); hostile input must cost bounded memory.</summary>
    public const int MaxJsonBytes = 8 * 1024 * 1024;

    private static ReadOnlySpan<byte> Magic => "MOATREC2"u8;

    private static ReadOnlySpan<byte> EndMagic => "MOATEND\n"u8;

    private static readonly JsonSerializerOptions Json = new()
    {
        Converters = { new JsonStringEnumConverter() },
    };

    /// <summary>The record bytes (JSON + footer) for an envelope whose content is <paramref name="contentLength"/> bytes.</summary>
    public static byte[] Serialize(Envelope envelope, long contentLength)
    {
        var json = JsonSerializer.SerializeToUtf8Bytes(envelope, Json);
        if (json.Length > MaxJsonBytes)
        {
            throw new InvalidOperationException($"the envelope of {envelope.Id} is {json.Length} bytes, more than the spool takes");
        }

        var record = new byte[json.Length + FooterLength];
        json.CopyTo(record, 0);
        var footer = record.AsSpan(json.Length);
        Magic.CopyTo(footer);
        BinaryPrimitives.WriteInt64LittleEndian(footer[8..], contentLength);
        BinaryPrimitives.WriteInt32LittleEndian(footer[16..], json.Length);
        BinaryPrimitives.WriteInt32LittleEndian(footer[20..], 0);
        Hash(json, footer[..24], footer.Slice(24, 32));
        EndMagic.CopyTo(footer[56..]);
        return record;
    }

    /// <summary>
    /// Reads the last valid record of an open queue file. Throws <see cref="CorruptMessageException"/>
    /// when there is none or it does not belong to <paramref name="id"/>.
    /// </summary>
    /// <remarks>
    /// Synchronous on purpose: normally two small preads served from the page cache, cheaper than
    /// any hand-off to the thread pool (which is all "async" file I/O is on Linux).
    /// </remarks>
    public static SpoolRecordInfo ReadLast(SafeFileHandle handle, string id)
    {
        var length = RandomAccess.GetLength(handle);
        if (length < FooterLength)
        {
            throw new CorruptMessageException(id, "queue file has no envelope record");
        }

        // The normal case: the last record ends at the end of the file.
        if (TryReadAt(handle, id, length - FooterLength, out var info, out var reason))
        {
            return info;
        }

        // A torn append (or a concurrent one in progress): the last complete record is earlier.
        if (ScanBackwards(handle, id, length) is { } found)
        {
            return found;
        }

        throw new CorruptMessageException(id, reason ?? "no valid envelope record");
    }

    private static SpoolRecordInfo? ScanBackwards(SafeFileHandle handle, string id, long length)
    {
        // A torn tail is at most one record long; look no further back than two records.
        var lowest = Math.Max(0, length - 2L * (MaxJsonBytes + FooterLength));
        var buffer = ArrayPool<byte>.Shared.Rent(64 * 1024);
        try
        {
            // Every window overlaps the previous one by the end magic's length minus one, so a
            // magic split between two windows is still found.
            // From the very end: a torn tail shorter than a footer hides the last good footer in
            // the file's last 64 bytes.
            var windowEnd = length;
            while (windowEnd > lowest)
            {
                var windowStart = Math.Max(lowest, windowEnd - buffer.Length);
                var count = (int)(windowEnd - windowStart);
                var read = ReadFully(handle, buffer.AsSpan(0, count), windowStart);
                var span = buffer.AsSpan(0, read);
                for (var i = span.LastIndexOf(EndMagic); i >= 0; i = span[..i].LastIndexOf(EndMagic))
                {
                    var footerStart = windowStart + i + EndMagic.Length - FooterLength;
                    if (footerStart >= 0 && TryReadAt(handle, id, footerStart, out var info, out _))
                    {
                        return info;
                    }

                    if (i == 0)
                    {
                        break;
                    }
                }

                if (windowStart == lowest)
                {
                    break;
                }

                windowEnd = windowStart + EndMagic.Length - 1;
            }

            return null;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static bool TryReadAt(SafeFileHandle handle, string id, long footerStart, out SpoolRecordInfo info, out string? reason)
    {
        info = default!;
        Span<byte> footer = stackalloc byte[FooterLength];
        if (ReadFully(handle, footer, footerStart) != FooterLength || !footer[..8].SequenceEqual(Magic) || !footer[56..].SequenceEqual(EndMagic))
        {
            reason = "queue file does not end in an envelope record";
            return false;
        }

        var contentLength = BinaryPrimitives.ReadInt64LittleEndian(footer[8..]);
        var jsonLength = BinaryPrimitives.ReadInt32LittleEndian(footer[16..]);
        var jsonStart = footerStart - jsonLength;
        if (jsonLength <= 0 || jsonLength > MaxJsonBytes || contentLength < 0 || jsonStart < contentLength)
        {
            reason = "envelope record has impossible lengths";
            return false;
        }

        var json = ArrayPool<byte>.Shared.Rent(jsonLength);
        try
        {
            var span = json.AsSpan(0, jsonLength);
            if (ReadFully(handle, span, jsonStart) != jsonLength)
            {
                reason = "envelope record is truncated";
                return false;
            }

            Span<byte> hash = stackalloc byte[32];
            Hash(span, footer[..24], hash);
            if (!hash.SequenceEqual(footer.Slice(24, 32)))
            {
                reason = "envelope checksum mismatch";
                return false;
            }

            Envelope envelope;
            try
            {
                envelope = JsonSerializer.Deserialize<Envelope>(span, Json) ?? throw new JsonException("empty");
            }
            catch (JsonException ex)
            {
                reason = "envelope cannot be parsed: " + ex.Message;
                return false;
            }

            // The id check also rejects a record forged inside the content (the sender cannot
            // know the queue id in advance) should a backwards scan ever reach that far.
            if (envelope.Id != id)
            {
                reason = "envelope belongs to " + envelope.Id;
                return false;
            }

            if (envelope.Size != contentLength)
            {
                reason = $"envelope says {envelope.Size} bytes of content, its record {contentLength}";
                return false;
            }

            info = new SpoolRecordInfo(envelope, contentLength, footerStart + FooterLength);
            reason = null;
            return true;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(json);
        }
    }

    private static void Hash(ReadOnlySpan<byte> json, ReadOnlySpan<byte> footerStart, Span<byte> destination)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(json);
        hash.AppendData(footerStart);
        hash.GetHashAndReset(destination);
    }

    private static int ReadFully(SafeFileHandle handle, Span<byte> buffer, long offset)
    {
        var total = 0;
        while (total < buffer.Length)
        {
            var read = RandomAccess.Read(handle, buffer[total..], offset + total);
            if (read == 0)
            {
                break;
            }

            total += read;
        }

        return total;
    }
}
