using Microsoft.Extensions.Hosting;

namespace Moat.Web;

/// <summary>
/// Keeps the web host from taking over SIGTERM and Ctrl+C. The default console lifetime
/// swallows the signal to stop only the web host, which left <c>moat serve</c> running; the
/// process lifetime belongs to the command line, which stops every part in order.
/// </summary>
internal sealed class ExternallyControlledLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
