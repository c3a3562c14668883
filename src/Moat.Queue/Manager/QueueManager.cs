using System.Collections.Concurrent;
using System.Diagnostics;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using MimeKit;
using Moat.Queue.Delivery;
using Moat.Queue.Dns;
using Moat.Queue.Dsn;
using Moat.Queue.Metrics;
using Moat.Queue.Spool;

namespace Moat.Queue.Manager;

/// <summary>
/// Moves due messages (incoming, and deferred whose time has come) to active, splits their pending
/// recipients by destination, and hands the pieces to delivery workers over a channel, with a
/// global and a per-destination concurrency limit. Then records the results: delivered, failed
/// (with a DSN once all recipients are final) or deferred with exponential back-off, until the
/// maximal lifetime expires. One manager per spool folder (a lock file enforces it).
/// </summary>
public sealed class QueueManager : IAsyncDisposable
{
    private readonly QueueOptions options;
    private readonly MessageSpool spool;
    private readonly ILogger logger;
    private readonly TimeProvider time;
    private readonly DeliveryRouter router;
    private readonly RetrySchedule schedule;
    private readonly DsnBuilder dsnBuilder;
    private readonly SmtpDeliveryAgent smtpAgent;
    private readonly MaildirDeliveryAgent maildirAgent;
    private readonly QueueMetrics metrics;
    private readonly Channel<DeliveryJob> jobs = Channel.CreateUnbounded<DeliveryJob>(new UnboundedChannelOptions { SingleReader = false });
    private readonly ConcurrentDictionary<string, SemaphoreSlim> destinationLimits = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Task> inFlight = new(StringComparer.Ordinal);

    // Next attempt time of deferred messages, so a scan need not reread every envelope. Only this
    // manager writes deferred envelopes (the admin CLI only renames them), so the cache stays true.
    private readonly ConcurrentDictionary<string, DateTimeOffset> deferredDue = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim nudge = new(0);
    private readonly SemaphoreSlim activeSlots;
    private CancellationTokenSource? stopping;
    private bool starved;
    private DateTimeOffset lastHousekeeping = DateTimeOffset.MinValue;
    private bool stopped;
    private FileStream? lockFile;
    private Task? scanner;
    private Task[] workers = [];

    public QueueManager(QueueOptions options, MessageSpool spool, IDnsResolver dns, ILoggerFactory? loggerFactory = null, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(spool);
        this.options = options;
        this.spool = spool;
        var factory = loggerFactory ?? NullLoggerFactory.Instance;
        logger = factory.CreateLogger<QueueManager>();
        time = timeProvider ?? TimeProvider.System;
        router = new DeliveryRouter(options.Delivery);
        schedule = new RetrySchedule(options.Retry);
        dsnBuilder = new DsnBuilder(options.Hostname, options.DsnMaxReturnedBytes);
        smtpAgent = new SmtpDeliveryAgent(options, dns, factory.CreateLogger<SmtpDeliveryAgent>(), time);
        maildirAgent = new MaildirDeliveryAgent(options.Hostname);
        metrics = new QueueMetrics(spool, time);
        activeSlots = new SemaphoreSlim(Math.Max(1, options.MaxActiveMessages));
        spool.MessagePublished += OnPublished;
    }

    /// <summary>The SMTP agent, exposed for its connection statistics.</summary>
    public SmtpDeliveryAgent SmtpAgent => smtpAgent;

    /// <summary>Runs start-up recovery, then starts scanning and delivering.</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (stopping is not null)
        {
            throw new InvalidOperationException("the queue manager is already started");
        }

        lockFile = AcquireLock();
        try
        {
            await spool.RecoverAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            lockFile.Dispose();
            lockFile = null;
            throw;
        }

        stopping = new CancellationTokenSource();
        var token = stopping.Token;
        workers = Enumerable.Range(0, Math.Max(1, options.MaxConcurrentDeliveries))
            .Select(_ => Task.Run(() => WorkerAsync(token), CancellationToken.None))
            .ToArray();
        scanner = Task.Run(() => ScanLoopAsync(token), CancellationToken.None);
    }

    /// <summary>Stops scanning; deliveries in progress are cancelled and their messages return to incoming.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (stopping is null || stopped)
        {
            return;
        }

        stopped = true;
        await stopping.CancelAsync().ConfigureAwait(false);
        jobs.Writer.TryComplete();
        var all = new List<Task>(workers);
        if (scanner is not null)
        {
            all.Add(scanner);
        }

        all.AddRange(inFlight.Values);
        try
        {
            await Task.WhenAll(all).WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // Expected: the loops end by cancellation.
        }

        await smtpAgent.DisposeAsync().ConfigureAwait(false);
        lockFile?.Dispose();
        lockFile = null;
    }

    /// <summary>Look at the queue now (e.g. right after a commit) instead of at the next periodic scan.</summary>
    public void Nudge()
    {
        // One pending signal is enough: a scan sees everything published before it.
        if (nudge.CurrentCount == 0)
        {
            nudge.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        spool.MessagePublished -= OnPublished;
        await StopAsync(CancellationToken.None).ConfigureAwait(false);
        metrics.Dispose();
        stopping?.Dispose();
    }

    // A message this process just published is started directly: rescanning the folders for
    // every message made the kernel's directory work the gateway's biggest cost under load.
    private void OnPublished(string id, QueueState state)
    {
        if (state != QueueState.Incoming)
        {
            return;
        }

        if (stopping is not { IsCancellationRequested: false } token)
        {
            Nudge();
            return;
        }

        // Off the SMTP session's thread: its client is waiting for the 250.
        _ = Task.Run(() =>
        {
            if (!TryActivate(id, QueueState.Incoming, token.Token))
            {
                Nudge();
            }
        });
    }

    private FileStream AcquireLock()
    {
        var path = Path.Combine(spool.Root, "manager.lock");
        try
        {
            // FileShare.None takes an exclusive advisory lock: a second manager on the same
            // folder would deliver messages twice.
            return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException ex)
        {
            throw new InvalidOperationException($"another queue manager is running on {spool.Root}", ex);
        }
    }

    private async Task ScanLoopAsync(CancellationToken token)
    {
        while (!token.IsCancellationRequested)
        {
            TimeSpan wait;
            try
            {
                wait = await ScanAsync(token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (token.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                // A scan failing (e.g. a folder briefly unreadable) must not stop the queue.
                logger.LogError(ex, "Queue scan failed");
                wait = options.ScanInterval;
            }

            try
            {
                await nudge.WaitAsync(wait, token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>Starts every due message; returns how long to sleep until the next due one.</summary>
    private async Task<TimeSpan> ScanAsync(CancellationToken token)
    {
        var wait = options.ScanInterval;
        foreach (var id in spool.ListIds(QueueState.Incoming))
        {
            if (!TryActivate(id, QueueState.Incoming, token))
            {
                // No free slot: a finishing message nudges us.
                return wait;
            }
        }

        var now = time.GetUtcNow();
        var deferred = spool.ListIds(QueueState.Deferred);
        foreach (var id in deferred)
        {
            if (!deferredDue.TryGetValue(id, out var due))
            {
                try
                {
                    var envelope = await spool.ReadEnvelopeAsync(QueueState.Deferred, id, token).ConfigureAwait(false);
                    due = envelope.NextAttemptAt ?? now;
                    deferredDue[id] = due;
                }
                catch (CorruptMessageException ex)
                {
                    spool.MoveToCorrupt(id, QueueState.Deferred, ex.Reason);
                    continue;
                }
                catch (FileNotFoundException)
                {
                    continue;
                }
            }

            if (due <= now)
            {
                if (!TryActivate(id, QueueState.Deferred, token))
                {
                    return wait;
                }
            }
            else if (due - now < wait)
            {
                wait = due - now;
            }
        }

        // Forget messages that left deferred by other hands (retry, hold, delete).
        var present = deferred.ToHashSet(StringComparer.Ordinal);
        foreach (var id in deferredDue.Keys)
        {
            if (!present.Contains(id))
            {
                deferredDue.TryRemove(id, out _);
            }
        }

        // Housekeeping once per scan interval, not on every nudge.
        if (now - lastHousekeeping >= options.ScanInterval)
        {
            lastHousekeeping = now;
            spool.CleanTempFiles();
            await smtpAgent.SweepIdleConnectionsAsync().ConfigureAwait(false);
        }

        return wait;
    }

    private bool TryActivate(string id, QueueState from, CancellationToken token)
    {
        if (inFlight.ContainsKey(id))
        {
            return true;
        }

        if (!activeSlots.Wait(0))
        {
            // Work is waiting for a slot: the next message to finish must look at the queue.
            Volatile.Write(ref starved, true);
            return false;
        }

        if (!spool.TryMove(id, from, QueueState.Active))
        {
            // Moved by the admin CLI (or it vanished) since we listed it.
            activeSlots.Release();
            return true;
        }

        // Registered before it starts, so that its own clean-up cannot run before the registration.
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var task = start.Task.ContinueWith(_ => ProcessAsync(id, token), CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default).Unwrap();
        inFlight[id] = task;
        deferredDue.TryRemove(id, out _);
        _ = task.ContinueWith(
            _ =>
            {
                inFlight.TryRemove(id, out Task? _);
                activeSlots.Release();
                if (Interlocked.Exchange(ref starved, false))
                {
                    Nudge();
                }
            },
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
        start.SetResult();
        return true;
    }

    private async Task ProcessAsync(string id, CancellationToken token)
    {
        try
        {
            Envelope envelope;
            try
            {
                envelope = await spool.ReadVerifiedAsync(QueueState.Active, id, token).ConfigureAwait(false);
            }
            catch (CorruptMessageException ex)
            {
                spool.MoveToCorrupt(id, QueueState.Active, ex.Reason);
                return;
            }

            var pending = envelope.Recipients.Where(r => r.Status == RecipientStatus.Pending).ToList();
            if (pending.Count > 0)
            {
                var results = await DeliverAsync(envelope, pending, token).ConfigureAwait(false);
                Apply(envelope, pending, results);
            }

            await ConcludeAsync(envelope, token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            // Shutting down: the attempt does not count; deliver it again after restart.
            spool.TryMove(id, QueueState.Active, QueueState.Incoming);
        }
        catch (Exception ex)
        {
            // Unexpected local fault: keep the message, retry later like a 4xx.
            logger.LogError(ex, "Processing of queue message {QueueId} failed", id);
            await DeferAfterLocalErrorAsync(id, ex).ConfigureAwait(false);
        }
    }

    private async Task DeferAfterLocalErrorAsync(string id, Exception error)
    {
        try
        {
            var envelope = await spool.ReadEnvelopeAsync(QueueState.Active, id, CancellationToken.None).ConfigureAwait(false);
            envelope.LastError = "451 4.3.0 local error: " + error.Message;
            envelope.NextAttemptAt = time.GetUtcNow() + schedule.DelayAfter(Math.Max(1, envelope.Attempts));
            await spool.WriteEnvelopeAsync(QueueState.Active, envelope, CancellationToken.None).ConfigureAwait(false);
            deferredDue[id] = envelope.NextAttemptAt.Value;
        }
        catch (Exception ex) when (ex is IOException or CorruptMessageException or UnauthorizedAccessException)
        {
            // Even the envelope is unusable: the start-up check will sort it out.
            logger.LogWarning(ex, "Could not record the local error for {QueueId}", id);
        }

        spool.TryMove(id, QueueState.Active, QueueState.Deferred);
    }

    private async Task<List<RecipientResult>> DeliverAsync(Envelope envelope, List<EnvelopeRecipient> pending, CancellationToken token)
    {
        var content = spool.GetContent(QueueState.Active, envelope);
        var requests = pending
            .Select(r => (Recipient: r, Route: router.Resolve(r.Domain)))
            .GroupBy(x => DeliveryRouter.DestinationKey(x.Route, x.Recipient.Domain), StringComparer.Ordinal)
            .Select(g => new DeliveryJob(
                new DeliveryRequest(envelope, g.Select(x => x.Recipient).ToList(), g.First().Route, g.First().Recipient.Domain, content),
                g.Key))
            .ToList();

        var results = await Task.WhenAll(requests.Select(job => RunJobAsync(job, token))).ConfigureAwait(false);
        return results.SelectMany(r => r).ToList();
    }

    private async Task<IReadOnlyList<RecipientResult>> RunJobAsync(DeliveryJob job, CancellationToken token)
    {
        var limit = destinationLimits.GetOrAdd(job.Destination, _ => new SemaphoreSlim(Math.Max(1, options.MaxConcurrentPerDestination)));
        await limit.WaitAsync(token).ConfigureAwait(false);
        try
        {
            await jobs.Writer.WriteAsync(job, token).ConfigureAwait(false);
            return await job.Completion.Task.WaitAsync(token).ConfigureAwait(false);
        }
        finally
        {
            limit.Release();
        }
    }

    private async Task WorkerAsync(CancellationToken token)
    {
        try
        {
            await foreach (var job in jobs.Reader.ReadAllAsync(token).ConfigureAwait(false))
            {
                var started = Stopwatch.GetTimestamp();
                try
                {
                    IDeliveryAgent agent = job.Request.Route.Type == RouteType.Maildir ? maildirAgent : smtpAgent;
                    job.Completion.TrySetResult(await agent.DeliverAsync(job.Request, token).ConfigureAwait(false));
                }
                catch (OperationCanceledException) when (token.IsCancellationRequested)
                {
                    job.Completion.TrySetCanceled(token);
                }
                catch (Exception ex)
                {
                    logger.LogError(ex, "Delivery to {Destination} failed unexpectedly", job.Destination);
                    job.Completion.TrySetResult(job.Request.Recipients
                        .Select(r => new RecipientResult(r, DeliveryOutcome.Deferred, "451 4.3.0 local error during delivery"))
                        .ToList());
                }
                finally
                {
                    metrics.RecordDuration(Stopwatch.GetElapsedTime(started));
                }
            }
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
        }
    }

    private void Apply(Envelope envelope, List<EnvelopeRecipient> attempted, List<RecipientResult> results)
    {
        envelope.Attempts++;
        var byRecipient = new Dictionary<EnvelopeRecipient, RecipientResult>(ReferenceEqualityComparer.Instance);
        foreach (var result in results)
        {
            byRecipient[result.Recipient] = result;
        }

        string? lastError = null;
        foreach (var recipient in attempted)
        {
            if (!byRecipient.TryGetValue(recipient, out var result))
            {
                result = new RecipientResult(recipient, DeliveryOutcome.Deferred, "451 4.3.0 no result from delivery");
            }

            metrics.RecordAttempt(result.Outcome);
            recipient.LastReply = result.Reply;
            recipient.Status = result.Outcome switch
            {
                DeliveryOutcome.Delivered => RecipientStatus.Delivered,
                DeliveryOutcome.Failed => RecipientStatus.Failed,
                _ => RecipientStatus.Pending,
            };
            if (result.Outcome != DeliveryOutcome.Delivered)
            {
                lastError ??= result.Reply;
            }

            logger.LogInformation("{QueueId}: to=<{Recipient}> result={Outcome} reply={Reply}", envelope.Id, recipient.Address, result.Outcome, result.Reply);
        }

        envelope.LastError = lastError;
    }

    private async Task ConcludeAsync(Envelope envelope, CancellationToken token)
    {
        var now = time.GetUtcNow();
        var pending = envelope.Recipients.Where(r => r.Status == RecipientStatus.Pending).ToList();
        var expiry = envelope.ReceivedAt + options.MaximalLifetime;
        if (pending.Count > 0 && now >= expiry)
        {
            foreach (var recipient in pending)
            {
                recipient.Status = RecipientStatus.Failed;
                recipient.LastReply = "554 4.4.7 message expired" + (recipient.LastReply is null ? string.Empty : "; last reply: " + recipient.LastReply);
            }

            pending.Clear();
        }

        if (pending.Count > 0)
        {
            var next = now + schedule.DelayAfter(envelope.Attempts);

            // The last attempt happens at expiry, not a whole back-off step after it.
            envelope.NextAttemptAt = next > expiry ? (expiry > now ? expiry : now) : next;
            await spool.WriteEnvelopeAsync(QueueState.Active, envelope, token).ConfigureAwait(false);
            deferredDue[envelope.Id] = envelope.NextAttemptAt.Value;
            spool.TryMove(envelope.Id, QueueState.Active, QueueState.Deferred);
            Nudge();
            return;
        }

        // All final. Queue the DSN first, then delete: a crash in between repeats the DSN
        // rather than losing it.
        var failed = envelope.Recipients.Where(r => r.Status == RecipientStatus.Failed && r.WantsFailureNotice).ToList();
        if (failed.Count > 0 && !envelope.IsNullSender)
        {
            try
            {
                await QueueDsnAsync(envelope, failed, now, token).ConfigureAwait(false);
            }
            catch (ParseException ex)
            {
                // The sender is no address a notice could go to; retrying would not change that.
                logger.LogWarning(ex, "{QueueId}: no DSN, sender <{Sender}> is not a usable address", envelope.Id, envelope.Sender);
            }
        }

        spool.Delete(envelope, QueueState.Active);
    }

    private async Task QueueDsnAsync(Envelope original, List<EnvelopeRecipient> failed, DateTimeOffset now, CancellationToken token)
    {
        await using var content = spool.GetContent(QueueState.Active, original).OpenRead();
        using var dsn = await dsnBuilder.BuildFailureAsync(original, failed, content, now, token).ConfigureAwait(false);
        await using var writer = await spool.CreateAsync(token).ConfigureAwait(false);
        var format = FormatOptions.Default.Clone();
        format.NewLineFormat = NewLineFormat.Dos;
        await dsn.WriteToAsync(format, writer.Content, token).ConfigureAwait(false);

        // Null sender: a DSN can never cause another DSN.
        var envelope = new Envelope
        {
            Sender = string.Empty,
            Recipients = [new EnvelopeRecipient { Address = original.Sender }],
            Listener = "dsn",
            HeloName = options.Hostname,
            ReceivedAt = now,
        };
        await writer.CommitAsync(envelope, QueueState.Incoming, token).ConfigureAwait(false);
        metrics.RecordDsn();
        logger.LogInformation("{QueueId}: sender DSN queued as {DsnId} for {Count} failed recipients", original.Id, envelope.Id, failed.Count);
    }
}
