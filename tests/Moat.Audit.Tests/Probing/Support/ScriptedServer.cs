using System.Net;
using System.Net.Sockets;

namespace Moat.Audit.Tests.Probing.Support;

/// <summary>
/// A TCP listener on 127.0.0.1 that runs a script for each connection: for listeners that
/// misbehave in ways no real server can be configured to (silence, endless lines, 421 mid-session).
/// </summary>
internal sealed class ScriptedServer : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;
    private readonly List<Task> _sessions = [];
    private int _connections;

    public ScriptedServer(Func<ScriptedConnection, int, CancellationToken, Task> script)
    {
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start();
        _accepting = AcceptAsync(script);
    }

    public IPAddress Address => IPAddress.Loopback;

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>Connections accepted so far.</summary>
    public int Connections => Volatile.Read(ref _connections);

    /// <summary>Every line any client sent, in order.</summary>
    public List<string> Received { get; } = [];

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        try
        {
            await _accepting;
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }

        Task[] sessions;
        lock (_sessions)
        {
            sessions = [.. _sessions];
        }

        await Task.WhenAll(sessions.Select(s => s.ContinueWith(_ => { }, TaskScheduler.Default)));
        _stop.Dispose();
    }

    private async Task AcceptAsync(Func<ScriptedConnection, int, CancellationToken, Task> script)
    {
        while (!_stop.IsCancellationRequested)
        {
            var socket = await _listener.AcceptSocketAsync(_stop.Token);
            socket.NoDelay = true;
            var index = Interlocked.Increment(ref _connections) - 1;
            var session = Task.Run(async () =>
            {
                using var connection = new ScriptedConnection(socket, this);
                try
                {
                    await script(connection, index, _stop.Token);
                }
                catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
                {
                    // The client went away; scripts need not care.
                }
            });
            lock (_sessions)
            {
                _sessions.Add(session);
            }
        }
    }

    internal void Record(string line)
    {
        lock (Received)
        {
            Received.Add(line);
        }
    }
}
