using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Prometheus;

namespace Moat.Web.Metrics;

/// <summary>
/// /metrics in the Prometheus text format. Moat's libraries record with
/// System.Diagnostics.Metrics; prometheus-net's meter adapter publishes every "Moat.*" meter.
/// </summary>
internal static class PrometheusEndpoint
{
    /// <summary>Latency buckets in seconds, from a fast fsync to a slow remote server.</summary>
    private static readonly double[] SecondsBuckets = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300];

    public static async Task PrepareAsync(CancellationToken cancellationToken)
    {
        // Meter "Moat.Smtp" with instrument "connections" becomes moat_smtp_connections.
        Prometheus.Metrics.ConfigureMeterAdapter(adapter =>
        {
            adapter.InstrumentFilterPredicate = instrument => instrument.Meter.Name.StartsWith("Moat.", StringComparison.Ordinal);
            adapter.ResolveHistogramBuckets = _ => SecondsBuckets;

            // A counter that vanishes after a quiet spell looks like a reset to Prometheus; one day is the most the adapter allows.
            adapter.MetricsExpireAfter = TimeSpan.FromDays(1);
        });

        // The adapter starts listening at the registry's first collection; collect once now so
        // that no measurement made before the first scrape is lost.
        await Prometheus.Metrics.DefaultRegistry.CollectAndExportAsTextAsync(Stream.Null, cancellationToken);
    }

    public static void Map(IEndpointRouteBuilder app) =>
        app.MapGet("/metrics", async (HttpContext context) =>
        {
            context.Response.ContentType = "text/plain; version=0.0.4; charset=utf-8";
            await Prometheus.Metrics.DefaultRegistry.CollectAndExportAsTextAsync(context.Response.Body, context.RequestAborted);
        });
}
