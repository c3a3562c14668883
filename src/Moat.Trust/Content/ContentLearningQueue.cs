using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Moat.Storage.Trust;

namespace Moat.Trust.Content;

/// <summary>
/// Learned messages on their way to the token store, written in batches by one background loop so
/// that learning never holds up an SMTP transaction nor contends for the database per message.
/// Bounded: when the store falls behind, new messages are not learned (and counted); the
/// statistics lose a sample, no mail is affected.
/// </summary>
public sealed partial class ContentLearningQueue
{
    // TryWrite on a full channel in Wait mode fails instead of blocking: that is the drop.
    private const int Capacity = 128;
    private const int BatchSize = 32;

    private readonly Channel<TokenTraining> channel = Channel.CreateBounded<TokenTraining>(
        new BoundedChannelOptions(Capacity) { FullMode = BoundedChannelFullMode.Wait, SingleReader = true });

    private readonly ITokenStore store;
    private readonly TimeProvider clock;
    private readonly ILogger logger;
    private long dropped;

    public ContentLearningQueue(ITokenStore store, TimeProvider? clock = null, ILogger<ContentLearningQueue>? logger = null)
    {
        this.store = store;
        this.clock = clock ?? TimeProvider.System;
        this.logger = logger ?? NullLogger<ContentLearningQueue>.Instance;
    }

    /// <summary>Messages not learned because the queue was full.</summary>
    public long Dropped => Interlocked.Read(ref dropped);

    public ValueTask EnqueueAsync(TokenTraining training, CancellationToken cancellationToken)
    {
        if (!channel.Writer.TryWrite(training) && Interlocked.Increment(ref dropped) % 1000 == 1)
        {
            LogDropped(logger, Dropped);
        }

        return ValueTask.CompletedTask;
    }

    /// <summary>Writes what was learned until cancelled; what is still queued then is not learned.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var batch = new List<TokenTraining>(BatchSize);
        try
        {
            while (await channel.Reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
            {
                await WriteAvailableAsync(batch, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    private async Task WriteAvailableAsync(List<TokenTraining> batch, CancellationToken cancellationToken)
    {
        while (channel.Reader.TryRead(out var training))
        {
            batch.Add(training);
            if (batch.Count == BatchSize || !channel.Reader.TryPeek(out _))
            {
                try
                {
                    await store.LearnAsync(batch, clock.GetUtcNow(), cancellationToken).ConfigureAwait(false);
                }
                catch (Exception exception) when (exception is not OperationCanceledException)
                {
                    LogLearningFailed(logger, batch.Count, exception);
                }

                batch.Clear();
            }
        }
    }

    [LoggerMessage(EventId = 61, Level = LogLevel.Warning, Message = "The content statistics fall behind: {Dropped} learned messages dropped so far (mail is not affected)")]
    private static partial void LogDropped(ILogger logger, long dropped);

    [LoggerMessage(EventId = 60, Level = LogLevel.Warning, Message = "{Count} learned messages could not be written to the content statistics; they are not learned")]
    private static partial void LogLearningFailed(ILogger logger, int count, Exception exception);
}
