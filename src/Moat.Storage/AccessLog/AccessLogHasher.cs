using System.Buffers;
using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Moat.Storage.AccessLog;

/// <summary>
/// The hash of an access-log entry: SHA-256, lower-case hex, over a canonical encoding of its
/// fields and the previous entry's hash. Every field is length-prefixed (and an absent one marked
/// apart from an empty one), so no two different entries encode to the same bytes: moving text
/// from one field to the next, or a subject into the reason, changes the hash.
/// </summary>
/// <remarks>
/// Encoding, version 1, all integers big-endian: the string "moat-access-log/1"; the sequence
/// (int64); the time as UTC ticks (int64); actor; action; message id (optional); the number of
/// data subjects (int32) and each subject, sorted by ordinal comparison; reason (optional);
/// detail (optional); previous hash. A string is its UTF-8 byte count (int32) and the bytes; an
/// optional string is a byte 0 when absent, else a byte 1 and the string.
/// </remarks>
public static class AccessLogHasher
{
    /// <summary>The previous hash of the first entry ever written: 64 zeros.</summary>
    public const string GenesisHash = "0000000000000000000000000000000000000000000000000000000000000000";

    private const string Version = "moat-access-log/1";

    // Strict: a lone surrogate would otherwise become U+FFFD, and two different texts one encoding.
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static string Compute(AccessLogEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return Compute(entry.Sequence, entry.At, entry.Actor, entry.Action, entry.MessageId, entry.DataSubjects, entry.Reason, entry.Detail, entry.PreviousHash);
    }

    public static string Compute(
        long sequence,
        DateTimeOffset at,
        string actor,
        string action,
        string? messageId,
        IReadOnlyList<string> dataSubjects,
        string? reason,
        string? detail,
        string previousHash) =>
        Convert.ToHexStringLower(SHA256.HashData(Encode(sequence, at, actor, action, messageId, dataSubjects, reason, detail, previousHash)));

    /// <summary>True when <paramref name="text"/> can be encoded (has no lone surrogate).</summary>
    internal static bool IsEncodable(string text)
    {
        try
        {
            Utf8.GetByteCount(text);
            return true;
        }
        catch (EncoderFallbackException)
        {
            return false;
        }
    }

    /// <summary>The bytes that are hashed (see the remarks of the class).</summary>
    /// <exception cref="EncoderFallbackException">A field has a lone surrogate.</exception>
    internal static byte[] Encode(
        long sequence,
        DateTimeOffset at,
        string actor,
        string action,
        string? messageId,
        IReadOnlyList<string> dataSubjects,
        string? reason,
        string? detail,
        string previousHash)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(action);
        ArgumentNullException.ThrowIfNull(dataSubjects);
        ArgumentNullException.ThrowIfNull(previousHash);

        // Sorted here too, so the hash does not depend on the order a caller or a query gave.
        var subjects = dataSubjects.ToArray();
        Array.Sort(subjects, StringComparer.Ordinal);

        var buffer = new ArrayBufferWriter<byte>(256);
        WriteString(buffer, Version);
        WriteInt64(buffer, sequence);
        WriteInt64(buffer, at.UtcTicks);
        WriteString(buffer, actor);
        WriteString(buffer, action);
        WriteOptional(buffer, messageId);
        WriteInt32(buffer, subjects.Length);
        foreach (var subject in subjects)
        {
            WriteString(buffer, subject ?? throw new ArgumentException("A data subject is null.", nameof(dataSubjects)));
        }

        WriteOptional(buffer, reason);
        WriteOptional(buffer, detail);
        WriteString(buffer, previousHash);
        return buffer.WrittenSpan.ToArray();
    }

    private static void WriteInt64(ArrayBufferWriter<byte> buffer, long value)
    {
        BinaryPrimitives.WriteInt64BigEndian(buffer.GetSpan(sizeof(long)), value);
        buffer.Advance(sizeof(long));
    }

    private static void WriteInt32(ArrayBufferWriter<byte> buffer, int value)
    {
        BinaryPrimitives.WriteInt32BigEndian(buffer.GetSpan(sizeof(int)), value);
        buffer.Advance(sizeof(int));
    }

    private static void WriteString(ArrayBufferWriter<byte> buffer, string value)
    {
        var length = Utf8.GetByteCount(value);
        WriteInt32(buffer, length);
        var written = Utf8.GetBytes(value, buffer.GetSpan(length));
        buffer.Advance(written);
    }

    private static void WriteOptional(ArrayBufferWriter<byte> buffer, string? value)
    {
        buffer.GetSpan(1)[0] = value is null ? (byte)0 : (byte)1;
        buffer.Advance(1);
        if (value is not null)
        {
            WriteString(buffer, value);
        }
    }
}
