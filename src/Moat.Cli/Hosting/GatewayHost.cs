using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Moat.Accounts.Accounts;
using Moat.Cli.Configuration;
using Moat.Pipeline;
using Moat.Queue.Dns;
using Moat.Queue.Manager;
using Moat.Queue.Spool;
using Moat.Scanning.Filter;
using Moat.Scanning.Signatures;
using Moat.Smtp.Server;
using Moat.Storage.Sqlite;
using Moat.Web;
using Moat.Web.Quarantine;
using Moat.Cli.Hosting.Dashboard;

namespace Moat.Cli.Hosting;

/// <summary>
/// The composition root of <c>moat serve</c>: builds the queue, the pipeline, the SMTP server
/// and the web listener from the configuration, runs them until cancelled, and stops them
/// in the order that loses nothing (stop accepting, finish sessions, then stop delivering).
/// </summary>
internal static partial class GatewayHost
{
    /// <param name="configurationFile">The file the options came from, if any (named in the access log when the configuration changes).</param>
    public static async Task<int> RunAsync(MoatOptions options, string? configurationFile, ILoggerFactory loggerFactory, CancellationToken stopToken)
    {
        // Start-up is short and runs to the end even when a stop is asked for meanwhile; the stop
        // then happens in the usual order below, so nothing half-started is left behind.
        var startup = CancellationToken.None;
        var logger = loggerFactory.CreateLogger("Moat");
        Directory.CreateDirectory(options.DataDirectory);

        var queueOptions = QueueOptionsFactory.Create(options);
        var spool = new MessageSpool(queueOptions, loggerFactory.CreateLogger<MessageSpool>());
        await using var queue = new QueueManager(queueOptions, spool, new DnsClientResolver(queueOptions.Dns), loggerFactory);
        try
        {
            await queue.StartAsync(startup);
        }
        catch (InvalidOperationException exception)
        {
            // Two gateways on one queue would deliver every message twice.
            LogQueueBusy(logger, exception.Message);
            return 1;
        }


        using var antivirus = AntivirusComponents.Create(options, loggerFactory);
        _ = LoadSignaturesAsync(antivirus, options, logger, stopToken);
        using var storage = SqliteStorage.Open(Path.Combine(options.DataDirectory, SqliteStorage.DefaultFileName));
        using var accounts = AccountService.Create(storage.Accounts, options.DataDirectory, options.Accounts, loggerFactory);
        await accounts.RestoreBlocksAsync(startup);
        await ConfigurationChangeRecorder.RecordAsync(storage.AccessLog, configurationFile is null ? null : Path.GetFullPath(configurationFile), ConfigurationText(options), startup);
        var releaseLinks = WebComponents.CreateReleaseLinks(options);
        var roles = options.Listeners!.ToDictionary(
            l => l.Name,
            l => Enum.Parse<ListenerRole>(l.Role, ignoreCase: true),
            StringComparer.OrdinalIgnoreCase);
        var releaseCheck = (options.Pipeline.Order ?? []).Contains(AntivirusFilter.FilterName, StringComparer.OrdinalIgnoreCase)
            ? new AntivirusReleaseCheck(spool, antivirus.Filter, roles, loggerFactory.CreateLogger<AntivirusReleaseCheck>())
            : null;
        var trust = (options.Pipeline.Order ?? []).Contains(Moat.Trust.Filter.TrustFilter.FilterName, StringComparer.OrdinalIgnoreCase)
            ? TrustComponents.Create(options, storage, spool, queue.Nudge, loggerFactory, options.Web.Enabled ? releaseLinks.Create : null, releaseCheck)
            : null;
        if (trust is not null)
        {
            _ = trust.RunMaintenanceAsync(stopToken);
            _ = trust.RunDigestsAsync(stopToken);
            _ = trust.Learning.RunAsync(stopToken);
        }

        var quarantine = new SpoolQuarantine(spool, queue.Nudge, releaseCheck);
        _ = new RetentionService(quarantine, storage.AccessLog, options.Privacy, TimeProvider.System, logger).RunAsync(stopToken);

        var runner = new PipelineRunner(
            PipelineFactory.CreateFilters(options, antivirus, trust).Filters,
            PipelineFactory.CreateRunnerOptions(options),
            loggerFactory.CreateLogger<PipelineRunner>());
        using var metrics = new GatewayMetrics();
        var services = new GatewayServices(options.HostName!, runner, spool, roles, metrics, logger, TimeProvider.System, accounts);

        var certificate = CertificateProvider.Load(options, logger);
        using var dashboard = new GatewayDashboardSource(spool, antivirus.Signatures, antivirus.ActiveScans, TimeProvider.System);
        using var antivirusMetrics = new AntivirusMetrics(antivirus.Signatures, antivirus.ActiveScans, TimeProvider.System);
        await using var server = new SmtpServer(CreateServerOptions(options, certificate), new GatewaySessionHandlerFactory(services), loggerFactory);
        WebAdmin? web = null;
        try
        {
            // The web listener first, so the first connection is already counted in its metrics.
            if (options.Web.Enabled)
            {
                web = await WebComponents.StartAsync(options, certificate, storage, accounts, quarantine, releaseLinks, dashboard, trust, loggerFactory, startup);
            }

            await server.StartAsync(startup);
        }
        catch (Exception exception) when (exception is SocketException or IOException)
        {
            LogCannotListen(logger, exception.Message);
            if (web is not null)
            {
                await web.DisposeAsync();
            }

            await queue.StopAsync(CancellationToken.None);
            return 1;
        }

        foreach (var (listener, endPoint) in options.Listeners!.Zip(server.BoundEndPoints))
        {
            LogListening(logger, listener.Name, endPoint, listener.Role);
        }

        if (web is not null)
        {
            LogWeb(logger, WebComponents.PublicUrl(options));
        }

        LogReady(logger, Path.GetFullPath(options.DataDirectory));
        try
        {
            await Task.Delay(Timeout.Infinite, stopToken);
        }
        catch (OperationCanceledException)
        {
            // SIGTERM or Ctrl+C: stop in order below.
        }

        LogStopping(logger);
        using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        await server.StopAsync(grace.Token);
        await queue.StopAsync(grace.Token);
        if (web is not null)
        {
            await web.DisposeAsync();
        }

        LogStopped(logger);
        return 0;
    }

    // In the background: the built-in database already protects while the folder loads, and a
    // broken file there must not keep the gateway from starting.
    private static async Task LoadSignaturesAsync(AntivirusComponents antivirus, MoatOptions options, ILogger logger, CancellationToken cancellationToken)
    {
        try
        {
            var folder = AntivirusComponents.SignatureFolder(options);
            if (Directory.Exists(folder))
            {
                try
                {
                    await antivirus.Signatures.ReloadAsync(folder, cancellationToken);
                }
                catch (SignatureLoadException exception)
                {
                    // The schedule below must still start: the next update can replace the bad file.
                    LogSignaturesFailed(logger, exception);
                }
            }

            var statistics = antivirus.Signatures.Current.Statistics;
            LogSignatures(logger, statistics.TotalSignatures, string.Join(", ", statistics.Files), statistics.LoadTime.TotalMilliseconds);
            if (options.Antivirus.SignatureSource is not null && options.Antivirus.SignatureUpdateInterval is not null)
            {
                await antivirus.Updates.RunAsync(cancellationToken);
            }
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
        catch (Exception exception)
        {
            LogSignaturesFailed(logger, exception);
        }
    }

    // What the access log fingerprints to notice configuration changes between starts.
    private static string ConfigurationText(MoatOptions options) =>
        System.Text.Json.JsonSerializer.Serialize(options);

    private static SmtpServerOptions CreateServerOptions(MoatOptions options, System.Security.Cryptography.X509Certificates.X509Certificate2? certificate)
    {
        var smtp = options.Smtp;
        return new SmtpServerOptions
        {
            HostName = options.HostName!,
            Greeting = smtp.Greeting,
            Certificate = certificate,
            Listeners = options.Listeners!.Select(l => new SmtpListenerOptions
            {
                Name = l.Name,
                EndPoint = new IPEndPoint(IPAddress.Parse(l.Address), l.Port),
                ImplicitTls = l.ImplicitTls,
                PregreetWait = l.PregreetWait,

                // Users log in on submission listeners only, and only under TLS (the server enforces that).
                AuthenticationMechanisms = l.Role.Equals("submission", StringComparison.OrdinalIgnoreCase) ? ["PLAIN", "LOGIN"] : [],
            }).ToList(),
            MaxCommandLineLength = smtp.MaxCommandLineLength,
            MaxRecipients = smtp.MaxRecipients,
            MaxMessageSize = smtp.MaxMessageSize,
            MaxErrors = smtp.MaxErrors,
            MaxConnections = smtp.MaxConnections,
            MaxConnectionsPerClient = smtp.MaxConnectionsPerClient,
            ConnectionLimitExemptions = (options.Relay.TrustedNetworks ?? []).Select(ParseNetwork).ToList(),
            CommandTimeout = smtp.CommandTimeout,
            DataBlockTimeout = smtp.DataBlockTimeout,
        };
    }

    // Trusted networks may be written as single addresses; the validator has checked them.
    private static IPNetwork ParseNetwork(string text) =>
        IPNetwork.TryParse(text, out var network)
            ? network
            : new IPNetwork(IPAddress.Parse(text), IPAddress.Parse(text).AddressFamily == AddressFamily.InterNetwork ? 32 : 128);

    [LoggerMessage(EventId = 8, Level = LogLevel.Information, Message = "Antivirus signatures: {Signatures} from {Files}, loaded in {Milliseconds:0} ms")]
    private static partial void LogSignatures(ILogger logger, int signatures, string files, double milliseconds);

    [LoggerMessage(EventId = 9, Level = LogLevel.Error, Message = "Loading antivirus signatures failed; the set loaded before stays in use")]
    private static partial void LogSignaturesFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Listening for SMTP on {EndPoint} ({Listener}, {Role})")]
    private static partial void LogListening(ILogger logger, string listener, IPEndPoint endPoint, string role);

    [LoggerMessage(EventId = 2, Level = LogLevel.Information, Message = "Web admin at {Url} (metrics at /metrics)")]
    private static partial void LogWeb(ILogger logger, Uri url);

    [LoggerMessage(EventId = 3, Level = LogLevel.Information, Message = "Ready; data in {DataDirectory}")]
    private static partial void LogReady(ILogger logger, string dataDirectory);

    [LoggerMessage(EventId = 4, Level = LogLevel.Information, Message = "Stopping: no new connections; finishing sessions and deliveries in progress")]
    private static partial void LogStopping(ILogger logger);

    [LoggerMessage(EventId = 5, Level = LogLevel.Information, Message = "Stopped")]
    private static partial void LogStopped(ILogger logger);

    [LoggerMessage(EventId = 7, Level = LogLevel.Critical, Message = "Cannot start: {Reason}. Fix: stop the other moat serve using this data folder, or give this one its own with --data")]
    private static partial void LogQueueBusy(ILogger logger, string reason);

    [LoggerMessage(EventId = 6, Level = LogLevel.Critical, Message = "Cannot listen: {Reason}. Fix: stop the program using that address and port, or change the listener's address/port (or web.listen) in the configuration")]
    private static partial void LogCannotListen(ILogger logger, string reason);
}
