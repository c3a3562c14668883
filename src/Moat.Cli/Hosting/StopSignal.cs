using System.Runtime.InteropServices;

namespace Moat.Cli.Hosting;

/// <summary>
/// SIGTERM, SIGINT and SIGQUIT as a cancellation token, registered before the gateway opens
/// anything. The command line registers its own handler only once the action's synchronous
/// start-up has returned, which for <c>moat serve</c> is after the listeners are open: a SIGTERM
/// in that window killed the process with the default disposition and skipped the ordered stop.
/// </summary>
internal sealed class StopSignal : IDisposable
{
    private readonly CancellationTokenSource stop;
    private readonly PosixSignalRegistration[] registrations;

    public StopSignal(CancellationToken commandLineToken)
    {
        stop = CancellationTokenSource.CreateLinkedTokenSource(commandLineToken);
        registrations =
        [
            PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal),
            PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal),
            PosixSignalRegistration.Create(PosixSignal.SIGQUIT, OnSignal),
        ];
    }

    public CancellationToken Token => stop.Token;

    public void Dispose()
    {
        foreach (var registration in registrations)
        {
            registration.Dispose();
        }

        stop.Dispose();
    }

    private void OnSignal(PosixSignalContext context)
    {
        context.Cancel = true;

        // Not inline: the ordered stop must not run on the runtime's signal-dispatch thread.
        _ = stop.CancelAsync();
    }
}
