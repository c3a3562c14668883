using Moat.Pipeline.Filters.Recipients;
using Moat.Pipeline.Filters.Relay;
using Moat.Pipeline.Filters.Sender;
using Moat.Pipeline.Filters.Size;
using Moat.Pipeline.Tests.Support;

namespace Moat.Pipeline.Tests;

public sealed class FilterCatalogTests
{
    private static readonly StandardFilterOptions Options = new()
    {
        Relay = new RelayControlOptions { AcceptedDomains = ["example.test"] },
    };

    [Fact]
    public void The_standard_catalog_builds_the_default_order()
    {
        var catalog = FilterCatalog.CreateStandard(Options);

        var selection = catalog.Create(FilterCatalog.DefaultOrder);

        Assert.True(selection.IsValid);
        Assert.Equal(["size", "sender", "relay", "recipient-domains"], selection.Filters.Select(f => f.Name));
        Assert.IsType<MessageSizeFilter>(selection.Filters[0]);
        Assert.IsType<SenderFilter>(selection.Filters[1]);
        Assert.IsType<RelayControlFilter>(selection.Filters[2]);
        Assert.IsType<RecipientDomainFilter>(selection.Filters[3]);
        Assert.Equal(["recipient-domains", "relay", "sender", "size"], catalog.Names);
    }

    [Fact]
    public void Unknown_and_repeated_names_are_configuration_errors()
    {
        var selection = FilterCatalog.CreateStandard(Options).Create(["Relay", "spf", "relay", "size"]);

        Assert.False(selection.IsValid);
        Assert.Equal(["relay", "size"], selection.Filters.Select(f => f.Name));
        Assert.Equal(2, selection.Errors.Count);
        Assert.Contains("unknown filter 'spf'", selection.Errors[0]);
        Assert.Contains("known: recipient-domains, relay, sender, size", selection.Errors[0]);
        Assert.Contains("'relay' appears more than once", selection.Errors[1]);
    }

    [Theory]
    [InlineData("recipient-domains", "relay")]
    [InlineData("recipient-domains")]
    public void Recipient_domains_needs_relay_before_it(params string[] order)
    {
        var selection = FilterCatalog.CreateStandard(Options).Create(order);

        Assert.Equal("filter 'recipient-domains' needs 'relay' earlier in the pipeline order", Assert.Single(selection.Errors));
    }

    [Fact]
    public void Invalid_filter_options_are_configuration_errors()
    {
        var options = new StandardFilterOptions
        {
            Relay = new RelayControlOptions { AcceptedDomains = ["bad_domain"] },
            Size = new MessageSizeOptions { MaxMessageSize = -1 },
        };

        var selection = FilterCatalog.CreateStandard(options).Create(FilterCatalog.DefaultOrder);

        Assert.Equal(["recipient-domains"], selection.Filters.Select(f => f.Name));
        Assert.Contains(selection.Errors, e => e.StartsWith("filter 'size':", StringComparison.Ordinal));
        Assert.Contains(selection.Errors, e => e.StartsWith("filter 'relay':", StringComparison.Ordinal) && e.Contains("bad_domain"));
        Assert.Contains(selection.Errors, e => e.StartsWith("filter 'sender':", StringComparison.Ordinal));
    }

    [Fact]
    public void Custom_filters_can_be_added_but_not_twice()
    {
        var catalog = new FilterCatalog().Add("custom", () => new ScriptedFilter("custom", Verdict.Continue));

        Assert.Single(catalog.Create(["custom"]).Filters);
        Assert.Throws<ArgumentException>(() => catalog.Add("CUSTOM", () => new ScriptedFilter("x", Verdict.Continue)));
    }

    [Fact]
    public async Task The_standard_pipeline_end_to_end()
    {
        var filters = FilterCatalog.CreateStandard(Options).Create(FilterCatalog.DefaultOrder).Filters;
        var runner = new PipelineRunner(filters, new PipelineOptions());

        var plan = runner.Describe();
        Assert.Equal(["size", "sender"], plan.Single(p => p.Stage == PipelineStage.Mail).Filters.Select(f => f.Name));
        Assert.Equal(["relay", "recipient-domains"], plan.Single(p => p.Stage == PipelineStage.Rcpt).Filters.Select(f => f.Name));
        Assert.All(plan.SelectMany(p => p.Filters), f => Assert.False(string.IsNullOrWhiteSpace(f.Description)));

        var outbound = Contexts.WithRecipient(Paths.Parse("bob@localhost"), "127.0.0.1", ListenerRole.Submission);
        var outboundResult = await runner.RunAsync(PipelineStage.Rcpt, outbound, CancellationToken.None);
        Assert.Equal("recipient-domains", outboundResult.DecidedBy);
        Assert.Equal(553, outboundResult.Verdict.Reply!.Code);

        var inbound = Contexts.WithRecipient(Paths.Parse("bob@other.example"));
        var inboundResult = await runner.RunAsync(PipelineStage.Rcpt, inbound, CancellationToken.None);
        Assert.Equal("relay", inboundResult.DecidedBy);
        Assert.Equal(554, inboundResult.Verdict.Reply!.Code);

        var ours = Contexts.WithRecipient(Paths.Parse("bob@example.test"));
        var oursResult = await runner.RunAsync(PipelineStage.Rcpt, ours, CancellationToken.None);
        Assert.True(oursResult.Verdict.IsContinue);
        Assert.Equal(["relay", "recipient-domains"], oursResult.Trace.Select(t => t.Filter));
    }
}
