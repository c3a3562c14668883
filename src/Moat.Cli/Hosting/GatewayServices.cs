using Microsoft.Extensions.Logging;
using Moat.Accounts.Accounts;
using Moat.Pipeline;
using Moat.Queue.Spool;

namespace Moat.Cli.Hosting;

/// <summary>What every session handler shares: the pipeline, the spool, the listener roles, the accounts.</summary>
internal sealed record GatewayServices(
    string HostName,
    PipelineRunner Pipeline,
    IQueueWriter Spool,
    IReadOnlyDictionary<string, ListenerRole> ListenerRoles,
    GatewayMetrics Metrics,
    ILogger Logger,
    TimeProvider Clock,
    AccountService Accounts);
