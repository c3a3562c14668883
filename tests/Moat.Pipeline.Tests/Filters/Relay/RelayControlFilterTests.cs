using System.Net;
using Moat.Pipeline.Filters.Relay;
using Moat.Pipeline.Tests.Support;

namespace Moat.Pipeline.Tests.Filters.Relay;

public sealed class RelayControlFilterTests
{
    private static readonly RelayControlOptions Options = new() { AcceptedDomains = ["example.test", "Bücher.Example"] };

    private readonly RelayControlFilter filter = new(Options);

    public static TheoryData<string, string?, string?, bool, string> RelayTricks => new()
    {
        // local part, domain, source route, quoted, the trick the evidence must name
        { "user%other.example", "example.test", null, false, "percent hack" },
        { "user%other.example", "EXAMPLE.TEST.", null, false, "percent hack" },
        { "user%other.example", "example.test", null, true, "percent hack" },
        { "other.example!user", "example.test", null, false, "bang path" },
        { "user@other.example", "example.test", null, true, "'@' in quoted local part" },
        { "user", "other.example", "@example.test,@relay.example", false, "source route" },
        { "user", "example.test", "@example.test", false, "source route" },
        { "user", "[192.0.2.1]", null, false, "address literal" },
        { "user", "[IPv6:2001:db8::1]", null, false, "address literal" },
        { "user", "other.example", null, false, "not an accepted domain" },
        { "user", "sub.example.test", null, false, "not an accepted domain" },
        { "user", "example.test.other.example", null, false, "not an accepted domain" },
        { "user", "example.test..", null, false, "not an accepted domain" },
        { "user", "example.test@other.example", null, false, "not an accepted domain" },
        { "user", "exämple.test", null, false, "not an accepted domain" },
        { "postmaster", "other.example", null, false, "not an accepted domain" },
    };

    [Theory]
    [MemberData(nameof(RelayTricks))]
    public async Task Untrusted_inbound_clients_cannot_use_relay_tricks(string localPart, string? domain, string? sourceRoute, bool quoted, string trick)
    {
        var context = Contexts.WithRecipient(Paths.Mailbox(localPart, domain, sourceRoute, quoted));

        var verdict = await Evaluate(context);

        AssertReply(verdict, 554, "5.7.1", "Relay access denied");
        Assert.Contains(context.Evidence, e => e.Filter == "relay" && e.Stage == PipelineStage.Rcpt && e.Text.Contains(trick));
    }

    [Theory]
    [InlineData("user", "example.test", false)]
    [InlineData("User", "EXAMPLE.TEST", false)]
    [InlineData("user", "example.test.", false)]
    [InlineData("user", "Example.Test.", false)]
    [InlineData("user", "bücher.example", false)]
    [InlineData("user", "BÜCHER.EXAMPLE.", false)]
    [InlineData("user", "xn--bcher-kva.example", false)]
    [InlineData("first last", "example.test", true)]
    [InlineData("postmaster", null, false)]
    [InlineData("PostMaster", null, false)]
    [InlineData("postmaster", null, true)]
    public async Task Untrusted_inbound_clients_reach_our_domains_in_any_spelling(string localPart, string? domain, bool quoted)
    {
        var context = Contexts.WithRecipient(Paths.Mailbox(localPart, domain, quoted: quoted));

        var verdict = await Evaluate(context);

        Assert.True(verdict.IsContinue, verdict.ToString());
        Assert.Equal(MailDirection.Inbound, context.Direction);
    }

    [Theory]
    [InlineData("user")]
    [InlineData("abuse")]
    public async Task Recipients_without_a_domain_other_than_postmaster_are_refused(string localPart)
    {
        var context = Contexts.WithRecipient(Paths.Mailbox(localPart, null));

        var verdict = await Evaluate(context);

        AssertReply(verdict, 553, "5.1.3", "Recipient address must include a domain");
        Assert.Contains(context.Evidence, e => e.Text.Contains("without a domain"));
    }

    [Theory]
    [InlineData("127.0.0.1", ListenerRole.Submission)]
    [InlineData("127.0.0.1", ListenerRole.Inbound)]
    [InlineData("127.1.2.3", ListenerRole.Submission)]
    [InlineData("::1", ListenerRole.Submission)]
    [InlineData("::ffff:127.0.0.1", ListenerRole.Submission)]
    public async Task Trusted_clients_relay_anywhere_and_their_mail_is_outbound(string client, ListenerRole role)
    {
        var context = Contexts.WithRecipient(Paths.Parse("someone@other.example"), client, role);

        var verdict = await Evaluate(context);

        Assert.True(verdict.IsContinue, verdict.ToString());
        Assert.Equal(MailDirection.Outbound, context.Direction);
    }

    [Fact]
    public async Task Trusted_clients_have_source_routes_ignored()
    {
        var context = Contexts.WithRecipient(Paths.Mailbox("user", "other.example", "@relay.example"), "127.0.0.1", ListenerRole.Submission);

        var verdict = await Evaluate(context);

        Assert.True(verdict.IsContinue);
        Assert.Contains(context.Evidence, e => e.Text.Contains("source route ignored"));
    }

    [Fact]
    public async Task Trusted_clients_still_need_a_domain()
    {
        var context = Contexts.WithRecipient(Paths.Mailbox("user", null), "127.0.0.1", ListenerRole.Submission);

        AssertReply(await Evaluate(context), 553, "5.1.3", "Recipient address must include a domain");
    }

    [Theory]
    [InlineData("someone@other.example")]
    [InlineData("user@example.test")]
    [InlineData("postmaster")]
    public async Task Untrusted_clients_on_a_submission_listener_may_send_nowhere(string recipient)
    {
        var context = Contexts.WithRecipient(Paths.Parse(recipient), role: ListenerRole.Submission);

        var verdict = await Evaluate(context);

        AssertReply(verdict, 554, "5.7.1", "Relay access denied");
        Assert.Null(context.Direction);
        Assert.Contains(context.Evidence, e => e.Text.Contains("submission listener"));
    }

    [Fact]
    public async Task An_authenticated_client_is_trusted()
    {
        var context = Contexts.WithRecipient(Paths.Parse("someone@other.example"), role: ListenerRole.Submission);
        context.AuthenticatedUser = "alice";

        Assert.True((await Evaluate(context)).IsContinue);
        Assert.Equal(MailDirection.Outbound, context.Direction);
    }

    [Fact]
    public async Task Configured_trusted_networks_replace_the_loopback_default()
    {
        var custom = new RelayControlFilter(new RelayControlOptions
        {
            AcceptedDomains = ["example.test"],
            TrustedNetworks = ["10.0.0.0/8", "2001:db8::/32", "192.0.2.25"],
        });

        async Task<Verdict> From(string client)
        {
            var context = Contexts.WithRecipient(Paths.Parse("someone@other.example"), client, ListenerRole.Submission);
            return await custom.EvaluateAsync(PipelineStage.Rcpt, context, CancellationToken.None);
        }

        Assert.True((await From("10.20.30.40")).IsContinue);
        Assert.True((await From("2001:db8:1::5")).IsContinue);
        Assert.True((await From("192.0.2.25")).IsContinue);
        Assert.Equal(VerdictKind.Reject, (await From("192.0.2.26")).Kind);
        Assert.Equal(VerdictKind.Reject, (await From("127.0.0.1")).Kind);
    }

    [Fact]
    public void Malformed_options_are_reported_together()
    {
        var exception = Assert.Throws<ArgumentException>(() => new RelayPolicy(new RelayControlOptions
        {
            AcceptedDomains = ["example.test", "bad_domain.example"],
            TrustedNetworks = ["10.0.0.0/33", "10.1", "not-a-network"],
        }));

        Assert.Contains("bad_domain.example", exception.Message);
        Assert.Contains("10.0.0.0/33", exception.Message);
        Assert.Contains("'10.1'", exception.Message);
        Assert.Contains("not-a-network", exception.Message);
    }

    [Fact]
    public void The_policy_compares_domains_in_canonical_form()
    {
        var policy = new RelayPolicy(Options);

        Assert.Equal(["example.test", "xn--bcher-kva.example"], policy.AcceptedDomains.Order());
        Assert.True(policy.IsAcceptedDomain("BÜCHER.example."));
        Assert.False(policy.IsAcceptedDomain(null));
        Assert.True(policy.IsTrustedAddress(IPAddress.Parse("::ffff:127.0.0.1")));
    }

    [Fact]
    public async Task Other_stages_pass()
    {
        var context = Contexts.WithSender(Paths.Parse("a@other.example"));

        Assert.True((await filter.EvaluateAsync(PipelineStage.Mail, context, CancellationToken.None)).IsContinue);
        Assert.Equal([PipelineStage.Rcpt], filter.Stages);
    }

    private ValueTask<Verdict> Evaluate(TransactionContext context) =>
        filter.EvaluateAsync(PipelineStage.Rcpt, context, CancellationToken.None);

    private static void AssertReply(Verdict verdict, int code, string enhancedCode, string text)
    {
        Assert.Equal(VerdictKind.Reject, verdict.Kind);
        Assert.Equal(code, verdict.Reply!.Code);
        Assert.Equal(enhancedCode, verdict.Reply.EnhancedCode);
        Assert.Equal([text], verdict.Reply.Lines);
    }
}
