using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using Moat.Smtp.Server;

namespace Moat.Smtp.Tests.Server.Support;

/// <summary>A real <see cref="SmtpServer"/> on a loopback port chosen by the system.</summary>
public sealed class TestServer : IAsyncDisposable
{
    public const string HostName = "mx.test";

    private TestServer(SmtpServer server, RecordingHandlerFactory handlers)
    {
        Server = server;
        Handlers = handlers;
    }

    public SmtpServer Server { get; }

    public RecordingHandlerFactory Handlers { get; }

    public IPEndPoint EndPoint => Server.BoundEndPoints[0];

    public static SmtpListenerOptions Listener(
        string name = "test", bool implicitTls = false, TimeSpan pregreetWait = default, IReadOnlyList<string>? authentication = null) =>
        new()
        {
            Name = name,
            EndPoint = new IPEndPoint(IPAddress.Loopback, 0),
            ImplicitTls = implicitTls,
            PregreetWait = pregreetWait,
            AuthenticationMechanisms = authentication ?? [],
        };

    public static SmtpServerOptions Options() => new() { HostName = HostName, Listeners = [Listener()] };

    /// <summary>A submission-like server: a certificate, and AUTH PLAIN LOGIN on its one listener.</summary>
    public static SmtpServerOptions SubmissionOptions(bool implicitTls = false, int maxErrors = 10) => new()
    {
        HostName = HostName,
        Certificate = TestCertificate.Instance,
        Listeners = [Listener(implicitTls: implicitTls, authentication: ["PLAIN", "LOGIN"])],
        MaxErrors = maxErrors,
    };

    public static async Task<TestServer> StartAsync(SmtpServerOptions? options = null, RecordingHandlerFactory? handlers = null)
    {
        handlers ??= new RecordingHandlerFactory();
        var server = new SmtpServer(options ?? Options(), handlers, NullLoggerFactory.Instance);
        await server.StartAsync(CancellationToken.None);
        return new TestServer(server, handlers);
    }

    public Task<RawSmtpClient> ConnectAsync() => RawSmtpClient.ConnectAsync(EndPoint);

    public async ValueTask DisposeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await Server.StopAsync(timeout.Token);
        await Server.DisposeAsync();
    }
}
