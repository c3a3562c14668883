namespace Moat.Queue.Spool;

/// <summary>Reads the header block of a stored message (up to and including the empty line), bounded.</summary>
public static class HeaderReader
{
    /// <summary>Header blocks beyond this are cut (hostile input must cost bounded memory).</summary>
    public const int MaxHeaderBytes = 1024 * 1024;

    /// <summary>
    /// Returns the bytes from the start up to and including the first empty line (CRLF CRLF or LF LF).
    /// Without an empty line the whole (bounded) content is the header block.
    /// </summary>
    public static async Task<byte[]> ReadHeaderBlockAsync(Stream stream, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[8192];
        while (buffer.Length < MaxHeaderBytes)
        {
            var read = await stream.ReadAsync(chunk, cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                break;
            }

            for (var i = 0; i < read; i++)
            {
                buffer.WriteByte(chunk[i]);
                if (chunk[i] == '\n' && EndsWithBlankLine(buffer))
                {
                    return buffer.ToArray();
                }
            }
        }

        return buffer.ToArray();
    }

    private static bool EndsWithBlankLine(MemoryStream buffer)
    {
        var data = buffer.GetBuffer().AsSpan(0, (int)buffer.Length);
        return data.Length == 2 && data.SequenceEqual("\r\n"u8)
            || data.Length == 1
            || data.EndsWith("\r\n\r\n"u8)
            || data.EndsWith("\n\n"u8);
    }
}
