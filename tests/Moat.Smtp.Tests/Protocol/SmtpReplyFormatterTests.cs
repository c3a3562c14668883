using Moat.Smtp.Protocol;

namespace Moat.Smtp.Tests.Protocol;

public sealed class SmtpReplyFormatterTests
{
    [Fact]
    public void Single_line_with_enhanced_code()
    {
        Assert.Equal("250 2.1.0 OK\r\n", SmtpReplyFormatter.Format(SmtpReplies.MailOk));
    }

    [Fact]
    public void Multi_line_uses_dashes_until_the_last_line()
    {
        var reply = new SmtpReply(250, null, ["mx.test", "PIPELINING", "CHUNKING"]);

        Assert.Equal("250-mx.test\r\n250-PIPELINING\r\n250 CHUNKING\r\n", SmtpReplyFormatter.Format(reply));
    }

    [Fact]
    public void Enhanced_code_is_on_every_line()
    {
        var reply = new SmtpReply(550, "5.7.1", ["Rejected", "see the policy page"]);

        Assert.Equal("550-5.7.1 Rejected\r\n550 5.7.1 see the policy page\r\n", SmtpReplyFormatter.Format(reply));
    }

    [Fact]
    public void Line_breaks_in_policy_text_cannot_forge_reply_lines()
    {
        var reply = new SmtpReply(550, "5.7.1", "no\r\n250 2.0.0 OK");

        Assert.Equal("550 5.7.1 no  250 2.0.0 OK\r\n", SmtpReplyFormatter.Format(reply));
    }
}
