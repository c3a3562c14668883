using Moat.Testing;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;
using Moat.Pipeline.Tests.Support;

namespace Moat.Pipeline.Tests;

public sealed class PipelineRunnerTests
{
    private static readonly Verdict Rejected = Verdict.Reject(554, "5.7.1", "Relay access denied");

    private static PipelineRunner Runner(params IFilter[] filters) => new(filters, new PipelineOptions());

    [Fact]
    public async Task Runs_the_filters_of_the_stage_in_the_configured_order()
    {
        var order = new List<string>();
        IFilter Recording(string name, params PipelineStage[] stages) =>
            new ScriptedFilter(name, (_, _) => { order.Add(name); return ValueTask.FromResult(Verdict.Continue); }, stages);

        var runner = Runner(
            Recording("c", PipelineStage.Rcpt),
            Recording("a", PipelineStage.Rcpt),
            Recording("mail-only", PipelineStage.Mail),
            Recording("b", PipelineStage.Rcpt, PipelineStage.Mail));

        var result = await runner.RunAsync(PipelineStage.Rcpt, Contexts.Create(), CancellationToken.None);

        Assert.Equal(["c", "a", "b"], order);
        Assert.True(result.Verdict.IsContinue);
        Assert.Null(result.DecidedBy);
    }

    [Fact]
    public async Task The_first_verdict_other_than_continue_wins_and_later_filters_do_not_run()
    {
        var first = new ScriptedFilter("first", Verdict.Continue);
        var rejecting = new ScriptedFilter("rejecting", Rejected);
        var tempFailing = new ScriptedFilter("tempfailing", Verdict.TempFail(450, "4.2.0", "Mailbox unavailable"));
        var runner = Runner(first, rejecting, tempFailing);

        var result = await runner.RunAsync(PipelineStage.Mail, Contexts.Create(), CancellationToken.None);

        Assert.Same(Rejected, result.Verdict);
        Assert.Equal("rejecting", result.DecidedBy);
        Assert.Single(first.Calls);
        Assert.Empty(tempFailing.Calls);
    }

    [Fact]
    public async Task Accept_skips_the_remaining_filters_of_the_stage_only()
    {
        var accepting = new ScriptedFilter("allow-list", Verdict.Accept, PipelineStage.Rcpt);
        var later = new ScriptedFilter("later", Rejected, PipelineStage.Rcpt, PipelineStage.Content);
        var runner = Runner(accepting, later);
        var context = Contexts.Create();

        var rcpt = await runner.RunAsync(PipelineStage.Rcpt, context, CancellationToken.None);
        var content = await runner.RunAsync(PipelineStage.Content, context, CancellationToken.None);

        Assert.Equal(VerdictKind.Accept, rcpt.Verdict.Kind);
        Assert.Equal("allow-list", rcpt.DecidedBy);
        Assert.Equal(VerdictKind.Reject, content.Verdict.Kind);
        Assert.Equal([PipelineStage.Content], later.Calls);
    }

    [Fact]
    public async Task A_filter_that_throws_gives_451_4_3_0_logs_the_exception_and_adds_evidence()
    {
        var failure = new InvalidOperationException("database unreachable");
        var throwing = new ScriptedFilter("broken", (_, _) => throw failure);
        var after = new ScriptedFilter("after", Verdict.Continue);
        var logger = new ListLogger<PipelineRunner>();
        var runner = new PipelineRunner([throwing, after], new PipelineOptions(), logger);
        var context = Contexts.Create();

        var result = await runner.RunAsync(PipelineStage.Mail, context, CancellationToken.None);

        AssertLocalError(result.Verdict);
        Assert.Equal("broken", result.DecidedBy);
        Assert.Empty(after.Calls);
        Assert.Equal(FilterFailure.Exception, Assert.Single(result.Trace).Failure);
        var entry = Assert.Single(logger.Entries, e => e.Level == LogLevel.Error);
        Assert.Same(failure, entry.Exception);
        var evidence = Assert.Single(context.Evidence);
        Assert.Equal("broken", evidence.Filter);
        Assert.Equal(PipelineStage.Mail, evidence.Stage);
        Assert.Contains("database unreachable", evidence.Text);
    }

    [Fact]
    public async Task A_filter_that_faults_asynchronously_gives_451_4_3_0()
    {
        var faulting = new ScriptedFilter("async-broken", async (_, ct) =>
        {
            await Task.Yield();
            throw new IOException("disk full");
        });

        var result = await Runner(faulting).RunAsync(PipelineStage.Content, Contexts.Create(), CancellationToken.None);

        AssertLocalError(result.Verdict);
        Assert.Equal(FilterFailure.Exception, Assert.Single(result.Trace).Failure);
    }

    [Fact]
    public async Task A_filter_that_overruns_its_timeout_gives_451_4_3_0()
    {
        var slow = new ScriptedFilter("slow", async (_, ct) =>
        {
            await Task.Delay(Timeout.Infinite, ct);
            return Verdict.Accept;
        });
        var logger = new ListLogger<PipelineRunner>();
        var runner = new PipelineRunner([slow], new PipelineOptions { FilterTimeout = TimeSpan.FromMilliseconds(100) }, logger);
        var context = Contexts.Create();

        var result = await runner.RunAsync(PipelineStage.Rcpt, context, CancellationToken.None);

        AssertLocalError(result.Verdict);
        Assert.Equal(FilterFailure.Timeout, Assert.Single(result.Trace).Failure);
        Assert.Contains(logger.Entries, e => e.Level == LogLevel.Error && e.Message.Contains("slow"));
        Assert.Contains("timed out", Assert.Single(context.Evidence).Text);
    }

    [Fact]
    public async Task A_filter_that_ignores_cancellation_still_times_out_with_451_4_3_0()
    {
        var neverCompletes = new TaskCompletionSource<Verdict>();
        var stuck = new ScriptedFilter("stuck", (_, _) => new ValueTask<Verdict>(neverCompletes.Task));
        var runner = new PipelineRunner([stuck], new PipelineOptions { FilterTimeout = TimeSpan.FromMilliseconds(100) });

        var result = await runner.RunAsync(PipelineStage.Rcpt, Contexts.Create(), CancellationToken.None);

        AssertLocalError(result.Verdict);
        Assert.Equal(FilterFailure.Timeout, Assert.Single(result.Trace).Failure);
    }

    [Fact]
    public async Task A_filter_that_throws_a_timeout_exception_of_its_own_is_an_exception_not_a_timeout()
    {
        var dnsTimeout = new ScriptedFilter("dns", async (_, _) =>
        {
            await Task.Yield();
            throw new TimeoutException("resolver did not answer");
        });

        var result = await Runner(dnsTimeout).RunAsync(PipelineStage.Helo, Contexts.Create(), CancellationToken.None);

        AssertLocalError(result.Verdict);
        Assert.Equal(FilterFailure.Exception, Assert.Single(result.Trace).Failure);
    }

    [Fact]
    public async Task Cancellation_by_the_caller_propagates_instead_of_giving_a_verdict()
    {
        using var cancellation = new CancellationTokenSource();
        var waiting = new ScriptedFilter("waiting", async (_, ct) =>
        {
            await cancellation.CancelAsync();
            await Task.Delay(Timeout.Infinite, ct);
            return Verdict.Continue;
        });

        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            async () => await Runner(waiting).RunAsync(PipelineStage.Rcpt, Contexts.Create(), cancellation.Token));
    }

    [Fact]
    public async Task The_trace_lists_every_filter_that_ran_with_its_verdict()
    {
        var runner = Runner(
            new ScriptedFilter("one", Verdict.Continue),
            new ScriptedFilter("two", Verdict.Continue),
            new ScriptedFilter("three", Verdict.Quarantine("suspicious attachment")),
            new ScriptedFilter("four", Verdict.Continue));

        var result = await runner.RunAsync(PipelineStage.Content, Contexts.Create(), CancellationToken.None);

        Assert.Equal(["one", "two", "three"], result.Trace.Select(t => t.Filter));
        Assert.Equal([VerdictKind.Continue, VerdictKind.Continue, VerdictKind.Quarantine], result.Trace.Select(t => t.Verdict.Kind));
        Assert.All(result.Trace, t => Assert.True(t.Elapsed >= TimeSpan.Zero));
        Assert.All(result.Trace, t => Assert.Equal(FilterFailure.None, t.Failure));
        var explained = result.Explain();
        Assert.Contains("Quarantine (suspicious attachment) by three", explained);
        Assert.Contains("two: Continue", explained);
    }

    [Fact]
    public async Task A_stage_without_the_facts_its_filters_need_is_a_local_error_not_a_pass()
    {
        // A host that forgets to set the recipient must not turn relay control into an open relay.
        var filters = FilterCatalog.CreateStandard(new StandardFilterOptions()).Create(FilterCatalog.DefaultOrder).Filters;
        var runner = new PipelineRunner(filters, new PipelineOptions());
        var context = Contexts.Create();

        var rcpt = await runner.RunAsync(PipelineStage.Rcpt, context, CancellationToken.None);
        var mail = await runner.RunAsync(PipelineStage.Mail, context, CancellationToken.None);
        var content = await runner.RunAsync(PipelineStage.Content, context, CancellationToken.None);

        AssertLocalError(rcpt.Verdict);
        Assert.Equal("relay", rcpt.DecidedBy);
        AssertLocalError(mail.Verdict);
        Assert.Equal("size", mail.DecidedBy);
        AssertLocalError(content.Verdict);
        Assert.Equal("size", content.DecidedBy);
    }

    [Fact]
    public void Describe_lists_every_stage_with_its_filters_in_the_configured_order()
    {
        var runner = Runner(
            new ScriptedFilter("size", Verdict.Continue, PipelineStage.Mail, PipelineStage.Content),
            new ScriptedFilter("sender", Verdict.Continue, PipelineStage.Mail),
            new ScriptedFilter("relay", Verdict.Continue, PipelineStage.Rcpt));

        var plan = runner.Describe();

        Assert.Equal(Enum.GetValues<PipelineStage>(), plan.Select(p => p.Stage));
        Assert.Empty(plan.Single(p => p.Stage == PipelineStage.Connect).Filters);
        Assert.Equal(["size", "sender"], plan.Single(p => p.Stage == PipelineStage.Mail).Filters.Select(f => f.Name));
        Assert.Equal(["relay"], plan.Single(p => p.Stage == PipelineStage.Rcpt).Filters.Select(f => f.Name));
        Assert.Equal(["size"], plan.Single(p => p.Stage == PipelineStage.Content).Filters.Select(f => f.Name));
        Assert.Equal("test filter size", plan.Single(p => p.Stage == PipelineStage.Mail).Filters[0].Description);
    }

    [Fact]
    public void Duplicate_filter_names_and_a_non_positive_timeout_are_refused()
    {
        Assert.Throws<ArgumentException>(() => Runner(new ScriptedFilter("a", Verdict.Continue), new ScriptedFilter("A", Verdict.Continue)));
        Assert.Throws<ArgumentException>(() => new PipelineRunner([], new PipelineOptions { FilterTimeout = TimeSpan.Zero }));
        Assert.Throws<ArgumentException>(() => new PipelineRunner([], new PipelineOptions { FilterTimeout = Timeout.InfiniteTimeSpan }));
    }

    [Fact]
    public async Task Verdicts_failures_and_durations_are_measured()
    {
        using var meterFactory = new TestMeterFactory();
        var measurements = new List<(string Instrument, object Value, Dictionary<string, object?> Tags)>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Scope == meterFactory)
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((i, v, tags, _) => measurements.Add((i.Name, v, ToDictionary(tags))));
        listener.SetMeasurementEventCallback<double>((i, v, tags, _) => measurements.Add((i.Name, v, ToDictionary(tags))));
        listener.Start();

        var runner = new PipelineRunner(
            [new ScriptedFilter("fine", Verdict.Continue), new ScriptedFilter("broken", (_, _) => throw new InvalidOperationException())],
            new PipelineOptions(),
            meterFactory: meterFactory);
        await runner.RunAsync(PipelineStage.Rcpt, Contexts.Create(), CancellationToken.None);

        Assert.Equal("Moat.Pipeline", PipelineRunner.MeterName);
        var verdicts = measurements.Where(m => m.Instrument == "verdicts").ToArray();
        Assert.Equal(2, verdicts.Length);
        Assert.Equal(("rcpt", "fine", "continue"), Tags(verdicts[0]));
        Assert.Equal(("rcpt", "broken", "tempfail"), Tags(verdicts[1]));

        var failure = Assert.Single(measurements, m => m.Instrument == "filter.failures");
        Assert.Equal("broken", failure.Tags["filter"]);
        Assert.Equal("exception", failure.Tags["reason"]);

        var durations = measurements.Where(m => m.Instrument == "filter.duration").ToArray();
        Assert.Equal(["fine", "broken"], durations.Select(d => d.Tags["filter"]));

        static (object?, object?, object?) Tags((string, object, Dictionary<string, object?> Tags) m) =>
            (m.Tags["stage"], m.Tags["filter"], m.Tags["verdict"]);
    }

    private static Dictionary<string, object?> ToDictionary(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var result = new Dictionary<string, object?>();
        foreach (var tag in tags)
        {
            result[tag.Key] = tag.Value;
        }

        return result;
    }

    private static void AssertLocalError(Verdict verdict)
    {
        Assert.Equal(VerdictKind.TempFail, verdict.Kind);
        Assert.Equal(451, verdict.Reply!.Code);
        Assert.Equal("4.3.0", verdict.Reply.EnhancedCode);
    }
}
