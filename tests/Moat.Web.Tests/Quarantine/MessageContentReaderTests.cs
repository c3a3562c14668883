using System.Text;
using Moat.Web.Quarantine;

namespace Moat.Web.Tests.Quarantine;

public sealed class MessageContentReaderTests
{
    [Fact]
    public async Task AMessageShowsItsHeadersTextAndAttachmentNames()
    {
        const string raw = "From: Carol <carol@stranger.test>\r\nTo: alice@example.test\r\nSubject: =?utf-8?q?Gr=C3=BC=C3=9Fe?=\r\nMIME-Version: 1.0\r\n" +
            "Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\nHi Alice\r\n--b\r\n" +
            "Content-Type: application/pdf; name=invoice.pdf\r\nContent-Disposition: attachment; filename=invoice.pdf\r\nContent-Transfer-Encoding: base64\r\n\r\nJVBERi0=\r\n--b--\r\n";
        await using var stream = new MemoryStream(Encoding.ASCII.GetBytes(raw));

        var content = await MessageContentReader.ReadAsync(stream, CancellationToken.None);

        Assert.Contains(content.Headers, h => h.Key == "Subject" && h.Value == "Grüße");
        Assert.Equal("Hi Alice", content.Text.Trim());
        Assert.Equal("invoice.pdf", Assert.Single(content.Attachments).FileName);
        Assert.False(content.Truncated);
    }
}
