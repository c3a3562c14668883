using System.Buffers;
using System.Text;

namespace Moat.Smtp.Protocol;

/// <summary>Writes a reply in wire form: <c>250-first</c> … <c>250 last</c>, each line ending in CRLF.</summary>
public static class SmtpReplyFormatter
{
    public static void Write(SmtpReply reply, IBufferWriter<byte> output)
    {
        var lines = reply.Lines.Count == 0 ? [string.Empty] : reply.Lines;
        for (var i = 0; i < lines.Count; i++)
        {
            var separator = i == lines.Count - 1 ? ' ' : '-';
            var text = Sanitize(lines[i]);
            var line = reply.EnhancedCode is null
                ? $"{reply.Code}{separator}{text}\r\n"
                : $"{reply.Code}{separator}{reply.EnhancedCode} {text}\r\n";
            Encoding.UTF8.GetBytes(line, output);
        }
    }

    public static string Format(SmtpReply reply)
    {
        var buffer = new ArrayBufferWriter<byte>();
        Write(reply, buffer);
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    // Reply text can come from policy; a CR or LF in it would let it forge extra reply lines.
    private static string Sanitize(string text) =>
        text.AsSpan().IndexOfAny('\r', '\n') < 0 ? text : text.Replace('\r', ' ').Replace('\n', ' ');
}
