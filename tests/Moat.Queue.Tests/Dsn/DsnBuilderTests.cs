using System.Text;
using MimeKit;
using Moat.Queue.Dsn;
using Moat.Queue.Spool;

namespace Moat.Queue.Tests.Dsn;

public sealed class DsnBuilderTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 28, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Failure_report_has_the_rfc3464_fields()
    {
        var (envelope, failed) = Failed();
        envelope.EnvelopeId = "ENV-42";
        failed[0].OriginalRecipient = "rfc822;Bad@Dest.test";

        var dsn = await BuildAsync(envelope, failed, TestQueue.Message("original subject"));

        var from = Assert.Single(dsn.From.Mailboxes);
        Assert.Equal("Mail Delivery System", from.Name);
        Assert.Equal("MAILER-DAEMON@gw.test", from.Address);
        Assert.Equal("sender@origin.test", Assert.Single(dsn.To.Mailboxes).Address);
        Assert.Equal("auto-replied", dsn.Headers["Auto-Submitted"]);

        var report = Assert.IsType<MultipartReport>(dsn.Body);
        Assert.Equal("delivery-status", report.ReportType);
        Assert.Equal(3, report.Count);
        Assert.IsType<TextPart>(report[0]);
        var status = Assert.IsType<MessageDeliveryStatus>(report[1]);
        Assert.Equal("dns; gw.test", status.StatusGroups[0]["Reporting-MTA"]);
        Assert.Equal("ENV-42", status.StatusGroups[0]["Original-Envelope-Id"]);
        var recipient = status.StatusGroups[1];
        Assert.Equal("rfc822; bad@dest.test", recipient["Final-Recipient"]);
        Assert.Equal("rfc822;Bad@Dest.test", recipient["Original-Recipient"]);
        Assert.Equal("failed", recipient["Action"]);
        Assert.Equal("5.1.1", recipient["Status"]);
        Assert.Equal("smtp; 550 5.1.1 no such user", recipient["Diagnostic-Code"]);
        var returned = Assert.IsType<MessagePart>(report[2]);
        Assert.Equal("original subject", returned.Message!.Subject);
    }

    [Fact]
    public async Task Ret_hdrs_returns_only_the_headers()
    {
        var (envelope, failed) = Failed();
        envelope.Ret = "HDRS";

        var dsn = await BuildAsync(envelope, failed, TestQueue.Message("secret subject", "secret body\r\n"));

        var report = Assert.IsType<MultipartReport>(dsn.Body);
        Assert.Equal("text/rfc822-headers", report[2].ContentType.MimeType);
        var text = Serialize(dsn);
        Assert.Contains("secret subject", text, StringComparison.Ordinal);
        Assert.DoesNotContain("secret body", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Expiry_reports_status_4_4_7()
    {
        var (envelope, failed) = Failed();
        failed[0].LastReply = "554 4.4.7 message expired; last reply: 451 4.2.0 try again later";

        var dsn = await BuildAsync(envelope, failed, TestQueue.Message());

        var status = Assert.IsType<MessageDeliveryStatus>(Assert.IsType<MultipartReport>(dsn.Body)[1]);
        Assert.Equal("4.4.7", status.StatusGroups[1]["Status"]);
    }

    [Fact]
    public async Task Names_no_product_and_no_version()
    {
        var (envelope, failed) = Failed();
        var text = Serialize(await BuildAsync(envelope, failed, TestQueue.Message()));

        foreach (var word in new[] { "Moat", "MimeKit", "MailKit", ".NET", "Microsoft", "X-Mailer", "User-Agent" })
        {
            Assert.DoesNotContain(word, text, StringComparison.OrdinalIgnoreCase);
        }
    }

    [Fact]
    public async Task Is_never_built_for_the_null_sender()
    {
        var (envelope, failed) = Failed();
        envelope.Sender = string.Empty;
        await Assert.ThrowsAsync<InvalidOperationException>(() => BuildAsync(envelope, failed, TestQueue.Message()));
    }

    [Theory]
    [InlineData("550 5.1.1 user unknown", "5.1.1")]
    [InlineData("451 too busy", "4.0.0")]
    [InlineData("556 5.1.10 null MX", "5.1.10")]
    [InlineData(null, "5.0.0")]
    public void Status_comes_from_the_enhanced_code_or_the_reply_class(string? reply, string expected) =>
        Assert.Equal(expected, DsnBuilder.StatusCodeOf(reply));

    private static (Envelope Envelope, List<EnvelopeRecipient> Failed) Failed()
    {
        var envelope = TestQueue.Envelope("sender@origin.test", "bad@dest.test");
        envelope.ReceivedAt = Now.AddHours(-1);
        envelope.Id = QueueId.New(envelope.ReceivedAt);
        envelope.Recipients[0].Status = RecipientStatus.Failed;
        envelope.Recipients[0].LastReply = "550 5.1.1 no such user";
        return (envelope, envelope.Recipients);
    }

    private static async Task<MimeMessage> BuildAsync(Envelope envelope, List<EnvelopeRecipient> failed, byte[] content)
    {
        envelope.Size = content.Length;
        var built = await new DsnBuilder("gw.test").BuildFailureAsync(envelope, failed, new MemoryStream(content), Now, CancellationToken.None);

        // Round-trip through bytes, as the DSN travels through the spool.
        var bytes = new MemoryStream();
        await built.WriteToAsync(bytes);
        bytes.Position = 0;
        return await MimeMessage.LoadAsync(bytes);
    }

    private static string Serialize(MimeMessage message)
    {
        using var stream = new MemoryStream();
        message.WriteTo(stream);
        return Encoding.UTF8.GetString(stream.ToArray());
    }
}
