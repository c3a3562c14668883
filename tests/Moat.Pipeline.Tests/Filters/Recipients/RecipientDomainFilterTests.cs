using Moat.Pipeline.Filters.Recipients;
using Moat.Pipeline.Tests.Support;

namespace Moat.Pipeline.Tests.Filters.Recipients;

public sealed class RecipientDomainFilterTests
{
    private readonly RecipientDomainFilter filter = new(new RecipientDomainOptions());

    [Theory]
    [InlineData("bob@other.example")]
    [InlineData("bob@MAIL.Other.Example.")]
    [InlineData("bob@bücher.example")]
    [InlineData("postmaster")]
    public async Task Deliverable_outbound_recipients_pass(string recipient)
    {
        Assert.True((await Evaluate(Outbound(recipient))).IsContinue);
    }

    [Theory]
    [InlineData("bob", "Recipient address must be fully qualified")]
    [InlineData("bob@localhost", "Recipient address must be fully qualified")]
    [InlineData("bob@192.0.2.1", "Recipient address must be fully qualified")]
    [InlineData("bob@under_score.example", "Bad destination mailbox address syntax")]
    [InlineData("bob@-leading.example", "Bad destination mailbox address syntax")]
    [InlineData("bob@a..example", "Bad destination mailbox address syntax")]
    [InlineData("bob@[192.0.2.1]", "Bad destination mailbox address syntax")]
    public async Task Undeliverable_outbound_recipients_are_refused(string recipient, string text)
    {
        var context = Outbound(recipient);

        var verdict = await Evaluate(context);

        Assert.Equal(VerdictKind.Reject, verdict.Kind);
        Assert.Equal(553, verdict.Reply!.Code);
        Assert.Equal("5.1.3", verdict.Reply.EnhancedCode);
        Assert.Equal([text], verdict.Reply.Lines);
        Assert.Contains(context.Evidence, e => e.Filter == "recipient-domains");
    }

    [Fact]
    public async Task Names_longer_than_253_characters_are_refused()
    {
        var label = new string('a', 63);
        var longName = string.Join('.', label, label, label, label);

        Assert.Equal(VerdictKind.Reject, (await Evaluate(Outbound("bob@" + longName))).Kind);
    }

    [Fact]
    public async Task Address_literals_pass_when_allowed_and_valid()
    {
        var lenient = new RecipientDomainFilter(new RecipientDomainOptions { AllowAddressLiterals = true });

        Assert.True((await lenient.EvaluateAsync(PipelineStage.Rcpt, Outbound("bob@[192.0.2.1]"), CancellationToken.None)).IsContinue);
        Assert.Equal(VerdictKind.Reject, (await lenient.EvaluateAsync(PipelineStage.Rcpt, Outbound("bob@[192.0.2]"), CancellationToken.None)).Kind);
    }

    [Fact]
    public async Task Inbound_and_undecided_transactions_are_left_to_relay_control()
    {
        var inbound = Contexts.WithRecipient(Paths.Parse("bob@localhost"));
        inbound.Direction = MailDirection.Inbound;
        var undecided = Contexts.WithRecipient(Paths.Parse("bob@localhost"));

        Assert.True((await Evaluate(inbound)).IsContinue);
        Assert.True((await Evaluate(undecided)).IsContinue);
    }

    private static TransactionContext Outbound(string recipient)
    {
        var context = Contexts.WithRecipient(Paths.Parse(recipient), "127.0.0.1", ListenerRole.Submission);
        context.Direction = MailDirection.Outbound;
        return context;
    }

    private ValueTask<Verdict> Evaluate(TransactionContext context) =>
        filter.EvaluateAsync(PipelineStage.Rcpt, context, CancellationToken.None);
}
