using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using System.Text.Json;

namespace Moat.Web.Dashboard;

/// <summary>
/// GET /events: the dashboard's snapshot as a server-sent event every second until the browser
/// goes away. Comments open the stream at once (so EventSource reports it open before the first
/// snapshot) and keep idle proxies from closing it.
/// </summary>
internal static class DashboardEvents
{
    public const string ContentType = "text/event-stream";

    public const string EventName = "snapshot";

    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    /// <summary>Every how many events a heartbeat comment goes out.</summary>
    public const int HeartbeatEvery = 10;

    public static async Task StreamAsync(HttpContext context, IDashboardSource source, TimeProvider clock, int heartbeatEvery = HeartbeatEvery)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(heartbeatEvery, 1);
        var response = context.Response;
        var cancellationToken = context.RequestAborted;
        response.ContentType = ContentType;
        response.Headers.CacheControl = "no-store";

        // nginx and friends buffer responses unless told not to; a buffered stream shows nothing live.
        response.Headers["X-Accel-Buffering"] = "no";
        context.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
        try
        {
            // The browser waits 5 s before reconnecting after a restart of the gateway.
            await response.WriteAsync("retry: 5000\n: connected\n\n", cancellationToken);
            await response.Body.FlushAsync(cancellationToken);
            using var timer = new PeriodicTimer(Interval, clock);
            var sent = 0;
            do
            {
                var json = JsonSerializer.Serialize(source.GetSnapshot(), DashboardJsonContext.Default.DashboardSnapshot);
                await response.WriteAsync($"event: {EventName}\ndata: {json}\n\n", cancellationToken);
                if (++sent % heartbeatEvery == 0)
                {
                    await response.WriteAsync(": heartbeat\n\n", cancellationToken);
                }

                await response.Body.FlushAsync(cancellationToken);
            }
            while (await timer.WaitForNextTickAsync(cancellationToken));
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The browser closed the page or the gateway is stopping: the normal end of the stream.
        }
        catch (IOException) when (cancellationToken.IsCancellationRequested)
        {
            // The connection went while a write was under way.
        }
    }
}
