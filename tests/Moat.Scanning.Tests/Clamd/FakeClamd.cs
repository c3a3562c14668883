using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Moat.Scanning.Clamd;

namespace Moat.Scanning.Tests.Clamd;

/// <summary>A misbehaving clamd on loopback: it hangs, hangs up, or says what the test wants.</summary>
internal sealed class FakeClamd : IAsyncDisposable
{
    private readonly TcpListener listener;
    private readonly Func<NetworkStream, CancellationToken, Task> handle;
    private readonly CancellationTokenSource stop = new();
    private readonly List<Task> sessions = [];
    private readonly Task acceptLoop;
    private int connections;

    private FakeClamd(Func<NetworkStream, CancellationToken, Task> handle)
    {
        this.handle = handle;
        listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        acceptLoop = AcceptAsync();
    }

    public ClamdEndpoint Endpoint => ClamdEndpoint.Tcp("127.0.0.1", ((IPEndPoint)listener.LocalEndpoint).Port);

    public int Connections => Volatile.Read(ref connections);

    /// <summary>Accepts, reads the request and never answers.</summary>
    public static FakeClamd Hanging() => new(async (stream, token) =>
    {
        await ReadInstreamAsync(stream, token);
        await Task.Delay(Timeout.Infinite, token);
    });

    /// <summary>Reads a few bytes of the request and closes the connection.</summary>
    public static FakeClamd HangingUpAfter(int bytes) => new(async (stream, token) =>
    {
        var buffer = new byte[bytes];
        await stream.ReadExactlyAsync(buffer, token);
    });

    /// <summary>Reads the whole request and answers <paramref name="reply"/> byte for byte, then closes.</summary>
    public static FakeClamd Replying(string reply) => new(async (stream, token) =>
    {
        await ReadInstreamAsync(stream, token);
        await stream.WriteAsync(Encoding.ASCII.GetBytes(reply), token);
    });

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        listener.Stop();
        try
        {
            await acceptLoop;
            await Task.WhenAll(sessions);
        }
        catch (OperationCanceledException)
        {
        }

        stop.Dispose();
    }

    /// <summary>Reads a "zINSTREAM\0" request to its zero-length chunk (or to the end of what the client sends).</summary>
    private static async Task ReadInstreamAsync(NetworkStream stream, CancellationToken token)
    {
        var command = new byte["zINSTREAM\0".Length];
        await stream.ReadExactlyAsync(command, token);
        var length = new byte[4];
        while (true)
        {
            await stream.ReadExactlyAsync(length, token);
            var size = BinaryPrimitives.ReadInt32BigEndian(length);
            if (size == 0)
            {
                return;
            }

            await stream.ReadExactlyAsync(new byte[size], token);
        }
    }

    private async Task AcceptAsync()
    {
        while (!stop.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await listener.AcceptSocketAsync(stop.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            Interlocked.Increment(ref connections);
            sessions.Add(ServeAsync(socket));
        }
    }

    private async Task ServeAsync(Socket socket)
    {
        using var stream = new NetworkStream(socket, ownsSocket: true);
        try
        {
            await handle(stream, stop.Token);
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or SocketException)
        {
            // The test is over or the client went away: both are fine for a fake.
        }
    }
}
