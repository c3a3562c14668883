using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Moat.Scanning.Engines;

namespace Moat.Scanning.Clamd;

/// <summary>
/// ClamAV's daemon as a scan engine, over INSTREAM. Hosts are tried in order; a host that
/// refuses, times out, closes early or answers ERROR is skipped for <see cref="ClamdOptions.FailureBackoff"/>
/// (tried only after the healthy ones) and the next one gets the object. When no host can
/// answer the verdict is an error: trouble is never "clean".
/// </summary>
public sealed partial class ClamdEngine : IScanEngine
{
    public const string EngineName = "clamd";

    private readonly ClamdOptions options;
    private readonly ClamdClient[] clients;
    private readonly DateTimeOffset[] backoffUntil;
    private readonly ILogger logger;
    private readonly TimeProvider timeProvider;

    public ClamdEngine(ClamdOptions options, ILogger<ClamdEngine>? logger = null, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        this.options = options;
        clients = options.Endpoints.Select(endpoint => new ClamdClient(endpoint, options)).ToArray();
        backoffUntil = new DateTimeOffset[clients.Length];
        this.logger = logger ?? NullLogger<ClamdEngine>.Instance;
        this.timeProvider = timeProvider ?? TimeProvider.System;
    }

    public string Name => EngineName;

    public IReadOnlyList<ClamdEndpoint> Endpoints => options.Endpoints;

    /// <summary>Whole messages and files (and attached messages); every object with <see cref="ClamdOptions.AcceptAllObjects"/>.</summary>
    public bool Accepts(ScanObject item)
    {
        ArgumentNullException.ThrowIfNull(item);
        return options.AcceptAllObjects || item.Kind is ScanObjectKind.Root or ScanObjectKind.NestedMessage;
    }

    public async ValueTask<EngineVerdict> ScanAsync(ScanObject item, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(item);
        if (options.StreamMaxLength is { } limit && item.Length > limit)
        {
            return EngineVerdict.Error($"{item.Length} bytes is more than clamd's StreamMaxLength of {limit} bytes");
        }

        var problems = new List<string>();
        foreach (var index in HostsInOrder())
        {
            var client = clients[index];
            ClamdReply reply;
            try
            {
                await using var content = await item.Open(cancellationToken);
                reply = await client.ScanStreamAsync(content, cancellationToken);
            }
            catch (ClamdException ex)
            {
                MarkFailed(index, ex.Message);
                problems.Add(ex.Message);
                continue;
            }

            switch (reply.Kind)
            {
                case ClamdReplyKind.Clean:
                    MarkHealthy(index);
                    return EngineVerdict.Clean;
                case ClamdReplyKind.Found:
                    MarkHealthy(index);
                    return EngineVerdict.Infected([.. reply.Threats]);
                case ClamdReplyKind.SizeLimitExceeded:
                    // The object, not the host, is the problem: every clamd would say the same.
                    MarkHealthy(index);
                    return EngineVerdict.Error($"{client.Endpoint}: {reply.Text}");
                default:
                    var problem = $"{client.Endpoint}: {reply.Text}";
                    MarkFailed(index, problem);
                    problems.Add(problem);
                    break;
            }
        }

        return EngineVerdict.Error("no clamd could scan: " + string.Join("; ", problems));
    }

    /// <summary>PING every host; true when at least one answers PONG.</summary>
    public async Task<bool> PingAsync(CancellationToken cancellationToken)
    {
        var statuses = await CheckHostsAsync(cancellationToken);
        return statuses.Any(status => status.Healthy);
    }

    /// <summary>The VERSION of the first healthy host, or null when none answers.</summary>
    public async Task<string?> GetVersionAsync(CancellationToken cancellationToken)
    {
        var statuses = await CheckHostsAsync(cancellationToken);
        return statuses.FirstOrDefault(status => status.Healthy)?.Version;
    }

    /// <summary>PING and VERSION on every host. A host that answers leaves its back-off at once.</summary>
    public async Task<IReadOnlyList<ClamdHostStatus>> CheckHostsAsync(CancellationToken cancellationToken)
    {
        var checks = clients.Select((_, index) => CheckHostAsync(index, cancellationToken));
        return await Task.WhenAll(checks);
    }

    private async Task<ClamdHostStatus> CheckHostAsync(int index, CancellationToken cancellationToken)
    {
        var client = clients[index];
        try
        {
            if (!await client.PingAsync(cancellationToken))
            {
                const string problem = "PING was not answered with PONG";
                MarkFailed(index, $"{client.Endpoint}: {problem}");
                return new ClamdHostStatus(client.Endpoint, false, null, problem);
            }

            var version = await client.GetVersionAsync(cancellationToken);
            MarkHealthy(index);
            return new ClamdHostStatus(client.Endpoint, true, version, null);
        }
        catch (ClamdException ex)
        {
            MarkFailed(index, ex.Message);
            return new ClamdHostStatus(client.Endpoint, false, null, ex.Message);
        }
    }

    /// <summary>Hosts not in back-off first, in configured order, then the others: a failed host is a last resort, not excluded.</summary>
    private int[] HostsInOrder()
    {
        var now = timeProvider.GetUtcNow();
        lock (backoffUntil)
        {
            return Enumerable.Range(0, clients.Length).OrderBy(index => backoffUntil[index] > now).ToArray();
        }
    }

    private void MarkFailed(int index, string problem)
    {
        lock (backoffUntil)
        {
            backoffUntil[index] = timeProvider.GetUtcNow() + options.FailureBackoff;
        }

        LogHostFailed(problem, options.FailureBackoff.TotalSeconds);
    }

    private void MarkHealthy(int index)
    {
        lock (backoffUntil)
        {
            backoffUntil[index] = DateTimeOffset.MinValue;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "clamd failed ({Problem}); it is tried last for the next {BackoffSeconds} s")]
    private partial void LogHostFailed(string problem, double backoffSeconds);
}
