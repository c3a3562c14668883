using MimeKit;
using MimeKit.IO;
using MimeKit.IO.Filters;
using Moat.Queue.Spool;

namespace Moat.Queue.Delivery;

/// <summary>The body of a <see cref="SpooledMimeMessage"/>: the spooled content from an offset, copied raw.</summary>
internal sealed class RawBodyPart : MimePart
{
    private static readonly byte[] CrLf = "\r\n"u8.ToArray();
    private readonly SpoolContent content;
    private readonly long offset;

    /// <param name="contentHeaders">
    /// The message's own Content-* fields, parsed with their offsets: MimeKit writes them
    /// interleaved with the message's other fields in the original order, and MailKit reads the
    /// Content-Transfer-Encoding from them to ask for BODY=8BITMIME.
    /// </param>
    /// <param name="endsWithNewLine">The content's last byte is LF (told by the caller, who has the file open already).</param>
    public RawBodyPart(SpoolContent content, long offset, IEnumerable<Header> contentHeaders, bool endsWithNewLine)
        : base("application", "octet-stream")
    {
        this.content = content;
        this.offset = offset;
        EndsWithNewLine = endsWithNewLine;
        Headers.Clear();
        foreach (var header in contentHeaders)
        {
            Headers.Add(header);
        }
    }

    public bool EndsWithNewLine { get; }

    public override void WriteTo(FormatOptions options, Stream stream, bool contentOnly, CancellationToken cancellationToken = default)
    {
        using var source = content.OpenRead();
        source.Seek(offset, SeekOrigin.Begin);
        using (var filtered = ToWire(stream))
        {
            source.CopyTo(filtered);
            filtered.Flush(cancellationToken);
        }

        if (source.Length > offset && !EndsWithNewLine)
        {
            // The DATA terminator must start on a new line.
            stream.Write(CrLf);
        }
    }

    public override async Task WriteToAsync(FormatOptions options, Stream stream, bool contentOnly, CancellationToken cancellationToken = default)
    {
        await using var source = content.OpenRead();
        source.Seek(offset, SeekOrigin.Begin);
        await using (var filtered = ToWire(stream))
        {
            await source.CopyToAsync(filtered, 64 * 1024, cancellationToken).ConfigureAwait(false);
            await filtered.FlushAsync(cancellationToken).ConfigureAwait(false);
        }

        if (source.Length > offset && !EndsWithNewLine)
        {
            await stream.WriteAsync(CrLf, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// SMTP lines end in CRLF (RFC 5321 §2.3.8). The SMTP side stores CRLF already; a bare LF
    /// (from another writer) is turned into CRLF as Postfix does, so the DATA terminator is
    /// always recognised. The stream given to us is left open.
    /// </summary>
    private static FilteredStream ToWire(Stream stream)
    {
        var filtered = new FilteredStream(stream);
        filtered.Add(new Unix2DosFilter());
        return filtered;
    }
}
