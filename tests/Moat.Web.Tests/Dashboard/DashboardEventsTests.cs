using System.Text;
using Microsoft.AspNetCore.Http;
using Moat.Web.Dashboard;

namespace Moat.Web.Tests.Dashboard;

public sealed class DashboardEventsTests
{
    [Fact]
    public async Task TheStreamSendsEventsAndHeartbeatsAndEndsQuietlyWhenTheRequestIsAborted()
    {
        using var aborted = new CancellationTokenSource();
        var body = new MemoryStream();
        var context = new DefaultHttpContext { RequestAborted = aborted.Token };
        context.Response.Body = body;
        var source = new FixedDashboardSource(DashboardSnapshot.Empty(DateTimeOffset.UtcNow));

        var stream = DashboardEvents.StreamAsync(context, source, TimeProvider.System, heartbeatEvery: 1);

        // Waits for events rather than for a time: on a busy machine a second may hold none.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (source.Calls < 2 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }

        await aborted.CancelAsync();
        await stream.WaitAsync(TimeSpan.FromSeconds(5));

        var text = Encoding.UTF8.GetString(body.ToArray());
        Assert.Equal(DashboardEvents.ContentType, context.Response.ContentType);
        Assert.StartsWith("retry: 5000\n: connected\n\n", text, StringComparison.Ordinal);
        Assert.True(source.Calls >= 2, text);

        // The abort may fall between taking a snapshot and writing it.
        var written = text.Split("event: snapshot\ndata: {").Length - 1;
        Assert.InRange(written, source.Calls - 1, source.Calls);
        Assert.Contains("}\n\n: heartbeat\n\n", text, StringComparison.Ordinal);
        Assert.EndsWith("\n\n", text, StringComparison.Ordinal);
    }
}
