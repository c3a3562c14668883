using DnsClient;
using Moat.Testing;

namespace Moat.Trust.Tests.Authentication.Support;

/// <summary>
/// One NSD per test class (through IClassFixture) serving the zones the class describes, and a
/// lookup client asking it.
/// </summary>
public abstract class DnsFixture : IAsyncLifetime
{
    private NsdServer? server;
    private LookupClient? dns;

    public NsdServer Server => server ?? throw new InvalidOperationException("not started");

    public ILookupClient Dns => dns ?? throw new InvalidOperationException("not started");

    public async Task InitializeAsync()
    {
        server = await NsdServer.StartAsync(CreateZones());
        dns = TestLookup.For(server);
    }

    public Task DisposeAsync()
    {
        server?.Dispose();
        return Task.CompletedTask;
    }

    protected abstract DnsZone[] CreateZones();
}
