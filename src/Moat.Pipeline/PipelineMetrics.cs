using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Moat.Pipeline;

/// <summary>The runner's instruments; tag values are lower-case so dashboards need no mapping.</summary>
internal sealed class PipelineMetrics
{
    private static readonly Meter SharedMeter = new(PipelineRunner.MeterName);

    private readonly Counter<long> verdicts;
    private readonly Counter<long> failures;
    private readonly Histogram<double> duration;

    public PipelineMetrics(IMeterFactory? meterFactory)
    {
        var meter = meterFactory?.Create(PipelineRunner.MeterName) ?? SharedMeter;
        verdicts = meter.CreateCounter<long>("verdicts", description: "Verdicts given by filters.");
        failures = meter.CreateCounter<long>("filter.failures", description: "Filters that threw or timed out.");
        duration = meter.CreateHistogram<double>("filter.duration", unit: "s", description: "Time one filter took at one stage.");
    }

    public void Record(PipelineStage stage, string filter, Verdict verdict, FilterFailure failure, TimeSpan elapsed)
    {
        verdicts.Add(1, new TagList
        {
            { "stage", StageTag(stage) },
            { "filter", filter },
            { "verdict", VerdictTag(verdict.Kind) },
        });

        if (failure != FilterFailure.None)
        {
            failures.Add(1, new TagList
            {
                { "filter", filter },
                { "reason", failure == FilterFailure.Timeout ? "timeout" : "exception" },
            });
        }

        duration.Record(elapsed.TotalSeconds, new KeyValuePair<string, object?>("filter", filter));
    }

    private static string StageTag(PipelineStage stage) => stage switch
    {
        PipelineStage.Connect => "connect",
        PipelineStage.Helo => "helo",
        PipelineStage.Mail => "mail",
        PipelineStage.Rcpt => "rcpt",
        PipelineStage.Content => "content",
        _ => stage.ToString(),
    };

    private static string VerdictTag(VerdictKind kind) => kind switch
    {
        VerdictKind.Continue => "continue",
        VerdictKind.Accept => "accept",
        VerdictKind.TempFail => "tempfail",
        VerdictKind.Reject => "reject",
        VerdictKind.Quarantine => "quarantine",
        VerdictKind.Hold => "hold",
        VerdictKind.Discard => "discard",
        _ => kind.ToString(),
    };
}
