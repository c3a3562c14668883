using MimeKit;
using Moat.Queue.Spool;

namespace Moat.Queue.Delivery;

/// <summary>
/// A MimeMessage that writes the stored bytes exactly as received. The header block is parsed only
/// to copy its raw fields (MimeKit writes parsed headers back byte for byte); the body is a
/// <see cref="RawBodyPart"/> that streams the rest of the spool file. Nothing is re-encoded and the
/// body is never held in memory; MailKit's DATA filter still does the dot-stuffing.
/// </summary>
internal sealed class SpooledMimeMessage : MimeMessage
{
    private SpooledMimeMessage()
    {
    }

    public static async Task<SpooledMimeMessage> OpenAsync(SpoolContent content, CancellationToken cancellationToken)
    {
        var message = new SpooledMimeMessage();
        message.Headers.Clear();
        long bodyOffset;
        var endsWithNewLine = false;
        var contentHeaders = new List<Header>();
        await using (var stream = content.OpenRead())
        {
            var headerBytes = await HeaderReader.ReadHeaderBlockAsync(stream, cancellationToken).ConfigureAwait(false);
            bodyOffset = headerBytes.Length;
            using var headerStream = new MemoryStream(headerBytes, writable: false);
            HeaderList headers;
            try
            {
                headers = await HeaderList.LoadAsync(ParserOptions.Default, headerStream, cancellationToken).ConfigureAwait(false);
            }
            catch (FormatException)
            {
                // Not a header block at all (a first line without a colon). Send everything as
                // body: MimeKit then puts one empty line in front, which is what a reader makes
                // of such content anyway (no header fields, all body).
                headers = [];
                bodyOffset = 0;
            }

            // Like MimeKit's parser, give the Content-* fields to the body entity (MimeKit writes
            // them back interleaved by offset, in the original order). Only for MIME messages:
            // for others MimeKit would add a MIME-Version field, and their Content-* fields mean
            // nothing anyway.
            var isMime = headers.Contains(HeaderId.MimeVersion);
            foreach (var header in headers)
            {
                if (isMime && header.Field.StartsWith("Content-", StringComparison.OrdinalIgnoreCase))
                {
                    contentHeaders.Add(header);
                }
                else
                {
                    message.Headers.Add(header);
                }
            }

            if (stream.Length > bodyOffset)
            {
                stream.Seek(-1, SeekOrigin.End);
                endsWithNewLine = stream.ReadByte() == '\n';
            }
        }

        // MimeKit writes the header fields, then the empty line, then the body: the body therefore
        // starts after our header block's own empty line. (MailKit measures SIZE= by writing once
        // to a counting stream, so no size bookkeeping is needed here.)
        message.Body = new RawBodyPart(content, bodyOffset, contentHeaders, endsWithNewLine);
        return message;
    }

    public override void Prepare(EncodingConstraint constraint, int maxLineLength = 78)
    {
        // Never re-encode: the gateway passes content through unchanged.
    }
}
