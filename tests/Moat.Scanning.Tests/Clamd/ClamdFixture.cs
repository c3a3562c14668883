using Moat.Scanning.Clamd;
using Moat.Testing;

namespace Moat.Scanning.Tests.Clamd;

/// <summary>
/// Two real clamds shared by a test class: one with clamd's default limits, one whose
/// StreamMaxLength is 64 KiB (for the size-limit reply). Starting them in parallel costs about a second.
/// </summary>
public sealed class ClamdFixture : IAsyncLifetime
{
    public const int SmallStreamMaxLength = 64 * 1024;

    private ClamdServer? server;
    private ClamdServer? smallServer;

    public ClamdServer Server => server ?? throw new InvalidOperationException("clamd is not started");

    public ClamdServer SmallServer => smallServer ?? throw new InvalidOperationException("clamd is not started");

    public ClamdEndpoint Tcp => ClamdEndpoint.Tcp("127.0.0.1", Server.Port);

    public ClamdEndpoint Unix => ClamdEndpoint.Unix(Server.SocketPath);

    public async Task InitializeAsync()
    {
        var main = ClamdServer.StartAsync();
        var small = ClamdServer.StartAsync(streamMaxLength: SmallStreamMaxLength.ToString(System.Globalization.CultureInfo.InvariantCulture));
        try
        {
            server = await main;
        }
        finally
        {
            smallServer = await small;
        }
    }

    public Task DisposeAsync()
    {
        server?.Dispose();
        smallServer?.Dispose();
        return Task.CompletedTask;
    }
}
