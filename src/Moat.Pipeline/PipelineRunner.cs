using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Moat.Smtp.Protocol;

namespace Moat.Pipeline;

/// <summary>
/// Runs the filters of a stage in the configured order; the first verdict other than Continue
/// wins. A filter that throws or overruns <see cref="PipelineOptions.FilterTimeout"/> gives
/// 451 4.3.0: a local fault is never a pass and never a permanent failure.
/// </summary>
public sealed partial class PipelineRunner
{
    public const string MeterName = "Moat.Pipeline";

    /// <summary>RFC 5321's text for 451, used for every filter failure so a client learns nothing about our internals.</summary>
    public static SmtpReply LocalErrorReply { get; } = new(451, "4.3.0", "Requested action aborted: local error in processing");

    private static readonly Verdict LocalError = Verdict.TempFail(LocalErrorReply);

    private readonly IReadOnlyList<IFilter> filters;
    private readonly Dictionary<PipelineStage, IFilter[]> filtersByStage;
    private readonly TimeSpan filterTimeout;
    private readonly ILogger logger;
    private readonly TimeProvider timeProvider;
    private readonly PipelineMetrics metrics;

    /// <param name="filters">The filters in the configured order.</param>
    /// <param name="meterFactory">Where the "Moat.Pipeline" meter comes from; null uses one shared meter.</param>
    /// <param name="timeProvider">The clock for timeouts and durations; null uses the system clock.</param>
    public PipelineRunner(
        IEnumerable<IFilter> filters,
        PipelineOptions options,
        ILogger<PipelineRunner>? logger = null,
        IMeterFactory? meterFactory = null,
        TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(filters);
        ArgumentNullException.ThrowIfNull(options);

        // WaitAsync and CancelAfter accept at most about 49 days; anything longer is a configuration mistake.
        if (options.FilterTimeout <= TimeSpan.Zero || options.FilterTimeout.TotalMilliseconds > int.MaxValue)
        {
            throw new ArgumentException($"The filter timeout must be positive and finite, not {options.FilterTimeout}.", nameof(options));
        }

        this.filters = filters.ToArray();
        var duplicate = this.filters.GroupBy(f => f.Name, StringComparer.OrdinalIgnoreCase).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new ArgumentException($"The filter '{duplicate.Key}' appears more than once.", nameof(filters));
        }

        filtersByStage = Enum.GetValues<PipelineStage>().ToDictionary(
            stage => stage,
            stage => this.filters.Where(f => f.Stages.Contains(stage)).ToArray());
        filterTimeout = options.FilterTimeout;
        this.logger = logger ?? NullLogger<PipelineRunner>.Instance;
        this.timeProvider = timeProvider ?? TimeProvider.System;
        metrics = new PipelineMetrics(meterFactory);
    }

    /// <summary>The filters in the configured order.</summary>
    public IReadOnlyList<IFilter> Filters => filters;

    /// <summary>
    /// Runs the filters of <paramref name="stage"/>. Cancelling <paramref name="cancellationToken"/>
    /// (the session is gone) throws <see cref="OperationCanceledException"/> rather than giving a verdict.
    /// </summary>
    public async ValueTask<PipelineResult> RunAsync(PipelineStage stage, TransactionContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);

        var stageFilters = filtersByStage[stage];
        var trace = new List<FilterTrace>(stageFilters.Length);
        foreach (var filter in stageFilters)
        {
            cancellationToken.ThrowIfCancellationRequested();

            var started = timeProvider.GetTimestamp();
            var (verdict, failure) = await EvaluateAsync(filter, stage, context, cancellationToken).ConfigureAwait(false);
            var elapsed = timeProvider.GetElapsedTime(started);

            metrics.Record(stage, filter.Name, verdict, failure, elapsed);
            trace.Add(new FilterTrace(filter.Name, verdict, elapsed, failure));

            if (!verdict.IsContinue)
            {
                LogDecision(logger, stage, filter.Name, verdict);
                return new PipelineResult(stage, verdict, filter.Name, trace);
            }
        }

        return new PipelineResult(stage, Verdict.Continue, null, trace);
    }

    /// <summary>The order per stage, every stage listed even when no filter takes part in it, for <c>pipeline explain</c>.</summary>
    public IReadOnlyList<StagePlan> Describe() =>
        Enum.GetValues<PipelineStage>()
            .Select(stage => new StagePlan(
                stage,
                filtersByStage[stage].Select(f => new FilterDescription(f.Name, f.Description)).ToArray()))
            .ToArray();

    private async ValueTask<(Verdict Verdict, FilterFailure Failure)> EvaluateAsync(
        IFilter filter, PipelineStage stage, TransactionContext context, CancellationToken cancellationToken)
    {
        var timeoutSource = new CancellationTokenSource(filterTimeout, timeProvider);
        var linkedSource = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeoutSource.Token);
        Task<Verdict>? pending = null;
        try
        {
            var evaluation = filter.EvaluateAsync(stage, context, linkedSource.Token);
            if (evaluation.IsCompletedSuccessfully)
            {
                return (evaluation.Result, FilterFailure.None);
            }

            // The filter may ignore its token; WaitAsync bounds the wait regardless.
            pending = evaluation.AsTask();
            var verdict = await pending.WaitAsync(filterTimeout, timeProvider, cancellationToken).ConfigureAwait(false);
            return (verdict, FilterFailure.None);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception exception) when (timeoutSource.IsCancellationRequested || (exception is TimeoutException && pending is { IsCompleted: false }))
        {
            // Tell a filter that is still running to stop, in case WaitAsync's timer fired first.
            await timeoutSource.CancelAsync().ConfigureAwait(false);
            LogTimeout(logger, filter.Name, stage, filterTimeout);
            context.AddEvidence(filter.Name, stage, $"filter timed out after {filterTimeout.TotalSeconds:0.###} s; answered 451 4.3.0");
            return (LocalError, FilterFailure.Timeout);
        }
        catch (Exception exception)
        {
            LogFailure(logger, exception, filter.Name, stage);
            context.AddEvidence(filter.Name, stage, $"filter failed with {exception.GetType().Name}: {exception.Message}; answered 451 4.3.0");
            return (LocalError, FilterFailure.Exception);
        }
        finally
        {
            if (pending is null || pending.IsCompleted)
            {
                linkedSource.Dispose();
                timeoutSource.Dispose();
            }
            else
            {
                // The filter outlives this stage and still holds the token, so the sources stay
                // undisposed; a fault it raises later must not surface as an unobserved exception.
                _ = pending.ContinueWith(
                    static task => _ = task.Exception,
                    CancellationToken.None,
                    TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously,
                    TaskScheduler.Default);
            }
        }
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Error, Message = "Filter {Filter} failed at stage {Stage}; answering 451 4.3.0")]
    private static partial void LogFailure(ILogger logger, Exception exception, string filter, PipelineStage stage);

    [LoggerMessage(EventId = 2, Level = LogLevel.Error, Message = "Filter {Filter} timed out at stage {Stage} after {Timeout}; answering 451 4.3.0")]
    private static partial void LogTimeout(ILogger logger, string filter, PipelineStage stage, TimeSpan timeout);

    [LoggerMessage(EventId = 3, Level = LogLevel.Debug, Message = "Stage {Stage} decided by filter {Filter}: {Verdict}")]
    private static partial void LogDecision(ILogger logger, PipelineStage stage, string filter, Verdict verdict);
}
