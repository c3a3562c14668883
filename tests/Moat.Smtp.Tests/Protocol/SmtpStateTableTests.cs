using Moat.Smtp.Protocol;

namespace Moat.Smtp.Tests.Protocol;

public sealed class SmtpStateTableTests
{
    [Theory]
    [InlineData(SmtpState.Connected, SmtpVerb.Mail)]
    [InlineData(SmtpState.Connected, SmtpVerb.StartTls)]
    [InlineData(SmtpState.Ready, SmtpVerb.Rcpt)]
    [InlineData(SmtpState.Ready, SmtpVerb.Data)]
    [InlineData(SmtpState.Ready, SmtpVerb.Bdat)]
    [InlineData(SmtpState.MailGiven, SmtpVerb.Mail)]
    [InlineData(SmtpState.MailGiven, SmtpVerb.StartTls)]
    [InlineData(SmtpState.RcptGiven, SmtpVerb.Mail)]
    [InlineData(SmtpState.Chunking, SmtpVerb.Data)]
    [InlineData(SmtpState.Chunking, SmtpVerb.Rcpt)]
    [InlineData(SmtpState.Chunking, SmtpVerb.Mail)]
    [InlineData(SmtpState.Connected, SmtpVerb.Auth)]
    [InlineData(SmtpState.MailGiven, SmtpVerb.Auth)]
    [InlineData(SmtpState.RcptGiven, SmtpVerb.Auth)]
    [InlineData(SmtpState.Chunking, SmtpVerb.Auth)]
    public void Out_of_order_commands_are_not_allowed(SmtpState state, SmtpVerb verb)
    {
        Assert.False(SmtpStateTable.TryGetNext(state, verb, out _));
    }

    [Theory]
    [InlineData(SmtpState.Connected, SmtpVerb.Ehlo, SmtpState.Ready)]
    [InlineData(SmtpState.Ready, SmtpVerb.Mail, SmtpState.MailGiven)]
    [InlineData(SmtpState.MailGiven, SmtpVerb.Rcpt, SmtpState.RcptGiven)]
    [InlineData(SmtpState.RcptGiven, SmtpVerb.Data, SmtpState.Ready)]
    [InlineData(SmtpState.RcptGiven, SmtpVerb.Bdat, SmtpState.Chunking)]
    [InlineData(SmtpState.Chunking, SmtpVerb.Bdat, SmtpState.Chunking)]
    [InlineData(SmtpState.Chunking, SmtpVerb.Rset, SmtpState.Ready)]
    [InlineData(SmtpState.RcptGiven, SmtpVerb.Ehlo, SmtpState.Ready)]
    [InlineData(SmtpState.Ready, SmtpVerb.StartTls, SmtpState.Connected)]
    [InlineData(SmtpState.Ready, SmtpVerb.Auth, SmtpState.Ready)]
    public void Legal_commands_lead_where_the_protocol_says(SmtpState state, SmtpVerb verb, SmtpState expected)
    {
        Assert.True(SmtpStateTable.TryGetNext(state, verb, out var next));
        Assert.Equal(expected, next);
    }

    [Fact]
    public void Quit_noop_rset_and_help_are_allowed_everywhere()
    {
        foreach (var state in Enum.GetValues<SmtpState>())
        {
            foreach (var verb in new[] { SmtpVerb.Quit, SmtpVerb.Noop, SmtpVerb.Rset, SmtpVerb.Help, SmtpVerb.Ehlo, SmtpVerb.Helo })
            {
                Assert.True(SmtpStateTable.TryGetNext(state, verb, out _), $"{verb} in {state}");
            }
        }
    }
}
