using Moat.Pipeline.Filters.Relay;
using Moat.Pipeline.Filters.Sender;
using Moat.Pipeline.Tests.Support;
using Moat.Smtp.Protocol;

namespace Moat.Pipeline.Tests.Filters.Sender;

public sealed class SenderFilterTests
{
    private const string Trusted = "127.0.0.1";

    private static readonly RelayPolicy Policy = new(new RelayControlOptions { AcceptedDomains = ["example.test"] });

    private readonly SenderFilter filter = new(new SenderFilterOptions(), Policy);

    [Theory]
    [InlineData(Contexts.InternetClient)]
    [InlineData(Trusted)]
    public async Task The_null_sender_of_bounces_passes(string client)
    {
        var context = Contexts.WithSender(SmtpPath.Null, client);

        Assert.True((await Evaluate(context)).IsContinue);
        Assert.Empty(context.Evidence);
    }

    [Theory]
    [InlineData("alice@other.example")]
    [InlineData("Alice@OTHER.EXAMPLE.")]
    [InlineData("bob@bücher.example")]
    [InlineData("carol@[192.0.2.1]")]
    [InlineData("dave@[IPv6:2001:db8::1]")]
    public async Task Well_formed_senders_pass(string sender)
    {
        Assert.True((await Evaluate(Contexts.WithSender(Paths.Parse(sender)))).IsContinue);
    }

    [Theory]
    [InlineData(SenderOwnership.Own, "alice@example.test", true)]
    [InlineData(SenderOwnership.Own, "Alice@Example.Test", true)]
    [InlineData(SenderOwnership.Own, "ceo@example.test", false)]
    [InlineData(SenderOwnership.Own, "", false)]
    [InlineData(SenderOwnership.Domain, "ceo@example.test", true)]
    [InlineData(SenderOwnership.Domain, "ceo@other.example", false)]
    [InlineData(SenderOwnership.Any, "ceo@other.example", true)]
    public async Task An_authenticated_user_sends_only_as_the_addresses_they_own(SenderOwnership ownership, string sender, bool allowed)
    {
        var ownershipFilter = new SenderFilter(new SenderFilterOptions { AuthenticatedSenders = ownership }, Policy);
        var context = Contexts.WithSender(sender.Length == 0 ? SmtpPath.Null : Paths.Parse(sender));
        context.AuthenticatedUser = "alice@example.test";

        var verdict = await ownershipFilter.EvaluateAsync(PipelineStage.Mail, context, CancellationToken.None);

        Assert.Equal(allowed, verdict.IsContinue);
        if (!allowed)
        {
            Assert.Equal("553 5.7.1 Sender address rejected: not owned by the authenticated user", verdict.Reply!.ToString());
        }
    }

    [Fact]
    public async Task A_source_route_is_ignored_and_the_mailbox_judged()
    {
        var good = Contexts.WithSender(Paths.Mailbox("alice", "other.example", "@relay.example"));
        var bad = Contexts.WithSender(Paths.Mailbox("alice", "bad_domain", "@relay.example"));

        Assert.True((await Evaluate(good)).IsContinue);
        Assert.Contains(good.Evidence, e => e.Text.Contains("source route ignored"));
        AssertReply(await Evaluate(bad), "Bad sender's mailbox address syntax");
    }

    [Theory]
    [InlineData("alice")]
    [InlineData("alice@localhost")]
    [InlineData("alice@host.123")]
    public async Task Unqualified_senders_from_untrusted_clients_are_refused(string sender)
    {
        var context = Contexts.WithSender(Paths.Parse(sender));

        AssertReply(await Evaluate(context), "Sender address must be fully qualified");
        Assert.Single(context.Evidence);
    }

    [Theory]
    [InlineData("root")]
    [InlineData("root@buildhost")]
    public async Task Unqualified_senders_from_trusted_clients_pass_unless_configured_otherwise(string sender)
    {
        var strict = new SenderFilter(new SenderFilterOptions { AllowUnqualifiedFromTrusted = false }, Policy);

        Assert.True((await Evaluate(Contexts.WithSender(Paths.Parse(sender), Trusted, ListenerRole.Submission))).IsContinue);
        var verdict = await strict.EvaluateAsync(PipelineStage.Mail, Contexts.WithSender(Paths.Parse(sender), Trusted, ListenerRole.Submission), CancellationToken.None);
        AssertReply(verdict, "Sender address must be fully qualified");
    }

    [Theory]
    [InlineData("alice@bad_domain.example")]
    [InlineData("alice@-bad.example")]
    [InlineData("alice@a..example")]
    [InlineData("alice@[192.0.2]")]
    [InlineData("alice@[2001:db8::1]")]
    [InlineData("alice@[example.test]")]
    public async Task Senders_with_an_invalid_domain_are_refused_from_everyone(string sender)
    {
        AssertReply(await Evaluate(Contexts.WithSender(Paths.Parse(sender))), "Bad sender's mailbox address syntax");
        AssertReply(await Evaluate(Contexts.WithSender(Paths.Parse(sender), Trusted)), "Bad sender's mailbox address syntax");
    }

    [Fact]
    public async Task Our_own_domain_from_an_untrusted_inbound_client_passes_with_evidence()
    {
        var inbound = Contexts.WithSender(Paths.Parse("ceo@EXAMPLE.test."));
        var trusted = Contexts.WithSender(Paths.Parse("ceo@example.test"), Trusted);

        Assert.True((await Evaluate(inbound)).IsContinue);
        Assert.Contains(inbound.Evidence, e => e.Filter == "sender" && e.Stage == PipelineStage.Mail && e.Text.Contains("our domain"));
        Assert.True((await Evaluate(trusted)).IsContinue);
        Assert.Empty(trusted.Evidence);
    }

    private ValueTask<Verdict> Evaluate(TransactionContext context) =>
        filter.EvaluateAsync(PipelineStage.Mail, context, CancellationToken.None);

    private static void AssertReply(Verdict verdict, string text)
    {
        Assert.Equal(VerdictKind.Reject, verdict.Kind);
        Assert.Equal(553, verdict.Reply!.Code);
        Assert.Equal("5.1.7", verdict.Reply.EnhancedCode);
        Assert.Equal([text], verdict.Reply.Lines);
    }
}
