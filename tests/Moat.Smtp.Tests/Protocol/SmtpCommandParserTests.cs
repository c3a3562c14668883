using System.Text;
using Moat.Smtp.Protocol;

namespace Moat.Smtp.Tests.Protocol;

public sealed class SmtpCommandParserTests
{
    private static SmtpParseResult Parse(string line, bool smtpUtf8 = false, bool auth = false) =>
        SmtpCommandParser.Parse(Encoding.UTF8.GetBytes(line), smtpUtf8, auth);

    private static T Command<T>(string line, bool smtpUtf8 = false, bool auth = false)
        where T : SmtpCommand
    {
        var result = Parse(line, smtpUtf8, auth);
        Assert.Null(result.Error);
        return Assert.IsType<T>(result.Command);
    }

    [Theory]
    [InlineData("EHLO client.example", SmtpVerb.Ehlo)]
    [InlineData("helo client.example", SmtpVerb.Helo)]
    [InlineData("DATA", SmtpVerb.Data)]
    [InlineData("RSET", SmtpVerb.Rset)]
    [InlineData("NOOP anything at all", SmtpVerb.Noop)]
    [InlineData("QUIT", SmtpVerb.Quit)]
    [InlineData("VRFY someone", SmtpVerb.Vrfy)]
    [InlineData("EXPN list", SmtpVerb.Expn)]
    [InlineData("HELP", SmtpVerb.Help)]
    [InlineData("StartTLS", SmtpVerb.StartTls)]
    [InlineData("BDAT 10", SmtpVerb.Bdat)]
    [InlineData("auth plain", SmtpVerb.Auth)]
    public void Verbs_are_recognised_case_insensitively(string line, SmtpVerb verb)
    {
        var result = Parse(line);

        Assert.Null(result.Error);
        Assert.Equal(verb, result.Verb);
        Assert.Equal(verb, result.Command!.Verb);
    }

    [Theory]
    [InlineData("")]
    [InlineData("FOO")]
    [InlineData("MAILFROM:<a@b.example>")]
    [InlineData("GET / HTTP/1.1")]
    [InlineData("NOOP\nQUIT")]
    public void Unknown_commands_are_500(string line)
    {
        var result = Parse(line);

        Assert.Equal(SmtpVerb.Unknown, result.Verb);
        Assert.Equal(SmtpReplies.CommandNotRecognized, result.Error);
    }

    [Theory]
    [InlineData("EHLO")]
    [InlineData("HELO   ")]
    [InlineData("DATA now")]
    [InlineData("QUIT please")]
    [InlineData("RSET x")]
    [InlineData("STARTTLS x")]
    [InlineData("BDAT")]
    [InlineData("BDAT x")]
    [InlineData("BDAT -1")]
    [InlineData("BDAT 10 FIRST")]
    [InlineData("BDAT 10 LAST more")]
    [InlineData("NOOP a\u0000b")]
    [InlineData("MAIL <a@b.example>")]
    [InlineData("MAIL FROM:<a@b.example>junk")]
    [InlineData("RCPT <a@b.example>")]
    public void Malformed_arguments_are_501_with_the_verb_known(string line)
    {
        var result = Parse(line);

        Assert.NotEqual(SmtpVerb.Unknown, result.Verb);
        Assert.Equal(SmtpReplies.SyntaxError, result.Error);
    }

    [Fact]
    public void Invalid_utf8_is_a_syntax_error()
    {
        var result = SmtpCommandParser.Parse([.. "NOOP "u8, 0xC3, 0x28]);

        Assert.Equal(SmtpReplies.SyntaxError, result.Error);
    }

    [Fact]
    public void Helo_keeps_the_name()
    {
        var helo = Command<HeloCommand>("EHLO  [192.0.2.1] ");

        Assert.Equal("[192.0.2.1]", helo.Domain);
        Assert.True(helo.IsExtended);
    }

    [Fact]
    public void Mail_with_every_parameter()
    {
        var mail = Command<MailCommand>("MAIL FROM:<a@b.example> size=1000 BODY=8bitmime SMTPUTF8 RET=hdrs ENVID=QQ314159+2B1+3D").Request;

        Assert.Equal("a@b.example", mail.Path.Address);
        Assert.Equal(1000, mail.DeclaredSize);
        Assert.Equal("8BITMIME", mail.Body);
        Assert.True(mail.SmtpUtf8);
        Assert.Equal("HDRS", mail.DsnReturn);
        Assert.Equal("QQ314159+1=", mail.EnvelopeId);
    }

    [Fact]
    public void Mail_tolerates_a_space_after_the_colon_and_allows_the_null_path()
    {
        var mail = Command<MailCommand>("mail from: <>").Request;

        Assert.True(mail.Path.IsNull);
        Assert.Null(mail.DeclaredSize);
        Assert.False(mail.SmtpUtf8);
    }

    [Theory]
    [InlineData("MAIL FROM:<a@b.example> SIZE=")]
    [InlineData("MAIL FROM:<a@b.example> SIZE=12x")]
    [InlineData("MAIL FROM:<a@b.example> SIZE=1 SIZE=2")]
    [InlineData("MAIL FROM:<a@b.example> BODY=9BIT")]
    [InlineData("MAIL FROM:<a@b.example> SMTPUTF8=yes")]
    [InlineData("MAIL FROM:<a@b.example> RET=SOME")]
    [InlineData("MAIL FROM:<a@b.example> ENVID=a+zz")]
    [InlineData("MAIL FROM:<a@b.example> ENVID=a=b")]
    [InlineData("MAIL FROM:<a@b.example> -BAD=1")]
    public void Bad_mail_parameter_values_are_501(string line)
    {
        Assert.Equal(SmtpReplies.SyntaxError, Parse(line).Error);
    }

    [Theory]
    [InlineData("MAIL FROM:<a@b.example> AUTH=<>")]
    [InlineData("MAIL FROM:<a@b.example> XFORWARD=1")]
    [InlineData("RCPT TO:<a@b.example> SIZE=1")]
    public void Unknown_parameters_are_555(string line)
    {
        Assert.Equal(SmtpReplies.UnsupportedParameter, Parse(line).Error);
    }

    [Theory]
    [InlineData("MAIL FROM:<not an address>")]
    [InlineData("MAIL FROM:a@b.example")]
    [InlineData("MAIL FROM:<\"quoted\">")]
    public void Bad_sender_is_501_5_1_7(string line)
    {
        Assert.Equal(SmtpReplies.BadSenderSyntax, Parse(line).Error);
    }

    [Theory]
    [InlineData("RCPT TO:<>")]
    [InlineData("RCPT TO:<a@@b.example>")]
    [InlineData("RCPT TO:")]
    public void Bad_recipient_is_501_5_1_3(string line)
    {
        Assert.Equal(SmtpReplies.BadRecipientSyntax, Parse(line).Error);
    }

    [Fact]
    public void Rcpt_with_dsn_parameters()
    {
        var rcpt = Command<RcptCommand>("RCPT TO:<b@c.example> NOTIFY=success,delay ORCPT=rfc822;b+40c.example").Request;

        Assert.Equal("SUCCESS,DELAY", rcpt.Notify);
        Assert.Equal("rfc822;b@c.example", rcpt.OriginalRecipient);
    }

    [Theory]
    [InlineData("RCPT TO:<b@c.example> NOTIFY=NEVER,SUCCESS")]
    [InlineData("RCPT TO:<b@c.example> NOTIFY=SUCCESS,SUCCESS")]
    [InlineData("RCPT TO:<b@c.example> ORCPT=b@c.example")]
    [InlineData("RCPT TO:<b@c.example> ORCPT=rfc822;")]
    public void Bad_rcpt_parameter_values_are_501(string line)
    {
        Assert.Equal(SmtpReplies.SyntaxError, Parse(line).Error);
    }

    [Fact]
    public void Utf8_addresses_need_smtputf8()
    {
        Assert.True(Command<MailCommand>("MAIL FROM:<josé@exämple.test> SMTPUTF8").Request.SmtpUtf8);
        Assert.Equal(SmtpReplies.NonAsciiAddressWithoutSmtpUtf8, Parse("MAIL FROM:<josé@exämple.test>").Error);
        Assert.Equal("用户", Command<RcptCommand>("RCPT TO:<用户@例子.测试>", smtpUtf8: true).Request.Path.LocalPart);
        Assert.Equal(SmtpReplies.NonAsciiAddressWithoutSmtpUtf8, Parse("RCPT TO:<用户@例子.测试>").Error);
    }

    [Theory]
    [InlineData("AUTH PLAIN", "PLAIN")]
    [InlineData("auth login", "LOGIN")]
    [InlineData("AUTH  x-oauth_2 ", "X-OAUTH_2")]
    [InlineData("AUTH ABCDEFGHIJKLMNOPQRST", "ABCDEFGHIJKLMNOPQRST")]
    public void Auth_keeps_the_mechanism_upper_cased(string line, string mechanism)
    {
        var auth = Command<AuthCommand>(line);

        Assert.Equal(mechanism, auth.Mechanism);
        Assert.Equal(mechanism, auth.Argument);
        Assert.Null(auth.InitialResponse);
    }

    [Fact]
    public void Auth_initial_response_is_decoded_and_kept_out_of_the_argument()
    {
        var auth = Command<AuthCommand>("AUTH PLAIN AGFsaWNlAHdvbmRlcmxhbmQ=");

        Assert.Equal("PLAIN", auth.Argument);
        Assert.Equal(SaslResponseKind.Data, auth.InitialResponse!.Kind);
        Assert.Equal("\0alice\0wonderland", Encoding.UTF8.GetString(auth.InitialResponse.Data.Span));
        Assert.DoesNotContain("AGFsaWNl", auth.ToString());
        Assert.DoesNotContain("wonderland", auth.ToString());
    }

    [Fact]
    public void Auth_initial_response_equals_is_empty_and_bad_base64_is_left_for_the_server()
    {
        Assert.Same(SaslResponse.Empty, Command<AuthCommand>("AUTH PLAIN =").InitialResponse);

        // Not a syntax error: the server first says whether it offers the mechanism (504).
        Assert.Equal(SaslResponseKind.Malformed, Command<AuthCommand>("AUTH CRAM-MD5 !!!!").InitialResponse!.Kind);
    }

    [Theory]
    [InlineData("AUTH")]
    [InlineData("AUTH   ")]
    [InlineData("AUTH PL@IN")]
    [InlineData("AUTH PLÄIN")]
    [InlineData("AUTH ABCDEFGHIJKLMNOPQRSTU")]
    [InlineData("AUTH PLAIN AGFsaWNl extra")]
    public void Malformed_auth_is_501(string line)
    {
        var result = Parse(line);

        Assert.Equal(SmtpVerb.Auth, result.Verb);
        Assert.Equal(SmtpReplies.SyntaxError, result.Error);
    }

    [Theory]
    [InlineData("MAIL FROM:<a@b.example> AUTH=<>", "<>")]
    [InlineData("MAIL FROM:<a@b.example> auth=alice+40b.example", "alice@b.example")]
    [InlineData("MAIL FROM:<a@b.example> AUTH=+22odd+20one+22@b.example", "\"odd one\"@b.example")]
    public void Mail_auth_parameter_is_xtext_decoded_where_auth_is_advertised(string line, string identity)
    {
        Assert.Equal(identity, Command<MailCommand>(line, auth: true).Request.AuthIdentity);
        Assert.Null(Command<MailCommand>("MAIL FROM:<a@b.example>", auth: true).Request.AuthIdentity);
    }

    [Theory]
    [InlineData("MAIL FROM:<a@b.example> AUTH=")]
    [InlineData("MAIL FROM:<a@b.example> AUTH")]
    [InlineData("MAIL FROM:<a@b.example> AUTH=a+zz")]
    [InlineData("MAIL FROM:<a@b.example> AUTH=a=b")]
    [InlineData("MAIL FROM:<a@b.example> AUTH=a+0D+0Ab")]
    [InlineData("MAIL FROM:<a@b.example> AUTH=a+C3+A9")]
    [InlineData("MAIL FROM:<a@b.example> AUTH=<> AUTH=<>")]
    public void Bad_mail_auth_parameter_is_501(string line)
    {
        Assert.Equal(SmtpReplies.SyntaxError, Parse(line, auth: true).Error);
    }

    [Fact]
    public void Bdat_size_and_last()
    {
        var chunk = Command<BdatCommand>("BDAT 1234 last");

        Assert.Equal(1234, chunk.Size);
        Assert.True(chunk.IsLast);
        Assert.False(Command<BdatCommand>("BDAT 0").IsLast);
    }
}
