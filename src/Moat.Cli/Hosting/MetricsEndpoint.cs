using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Prometheus;

namespace Moat.Cli.Hosting;

/// <summary>
/// Serves /metrics in the Prometheus text format. Moat's libraries record with
/// System.Diagnostics.Metrics; prometheus-net's meter adapter publishes every "Moat.*" meter.
/// </summary>
internal sealed class MetricsEndpoint : IAsyncDisposable
{
    private readonly WebApplication app;

    private MetricsEndpoint(WebApplication app) => this.app = app;

    /// <summary>Latency buckets in seconds, from a fast fsync to a slow remote server.</summary>
    private static readonly double[] SecondsBuckets = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300];

    /// <param name="challenges">When trust is on, the public challenge confirmation page is served here too.</param>
    public static async Task<MetricsEndpoint> StartAsync(IPEndPoint endPoint, ILoggerFactory loggerFactory, Moat.Trust.Challenges.ChallengeService? challenges, CancellationToken cancellationToken)
    {
        // Meter "Moat.Smtp" with instrument "connections" becomes moat_smtp_connections.
        Metrics.ConfigureMeterAdapter(adapter =>
        {
            adapter.InstrumentFilterPredicate = instrument => instrument.Meter.Name.StartsWith("Moat.", StringComparison.Ordinal);
            adapter.ResolveHistogramBuckets = _ => SecondsBuckets;

            // A counter that vanishes after a quiet spell looks like a reset to Prometheus; one day is the most the adapter allows.
            adapter.MetricsExpireAfter = TimeSpan.FromDays(1);
        });

        // The adapter starts listening at the registry's first collection; collect once now so
        // that no measurement made before the first scrape is lost.
        await Metrics.DefaultRegistry.CollectAndExportAsTextAsync(Stream.Null, cancellationToken);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton(loggerFactory);
        builder.Services.AddSingleton<IHostLifetime, ExternallyControlledLifetime>();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Listen(endPoint);
        });
        var app = builder.Build();
        app.MapGet("/metrics", async (HttpContext context) =>
        {
            context.Response.ContentType = "text/plain; version=0.0.4; charset=utf-8";
            await Metrics.DefaultRegistry.CollectAndExportAsTextAsync(context.Response.Body, context.RequestAborted);
        });
        app.MapGet("/", () => Results.Text("Metrics are at /metrics\n"));
        if (challenges is not null)
        {
            ChallengePage.Map(app, challenges);
        }

        await app.StartAsync(cancellationToken);
        return new MetricsEndpoint(app);
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
