using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Moat.Audit.Tests.Vulnerabilities;

/// <summary>
/// A one-route HTTP/1.1 server on 127.0.0.1 for download tests: answers every request with the
/// given status and body (404 for other paths) and closes the connection.
/// </summary>
internal sealed class LoopbackHttpServer : IAsyncDisposable
{
    private readonly TcpListener listener;
    private readonly CancellationTokenSource stop = new();
    private readonly Task loop;

    private LoopbackHttpServer(string path, int status, string body)
    {
        listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        loop = Task.Run(() => ServeAsync(path, status, body));
    }

    public int Port => ((IPEndPoint)listener.LocalEndpoint).Port;

    public static Task<LoopbackHttpServer> StartAsync(string path, int status, string body) =>
        Task.FromResult(new LoopbackHttpServer(path, status, body));

    public string Url(string path) => $"http://127.0.0.1:{Port}{path}";

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        listener.Stop();
        try
        {
            await loop;
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }

        stop.Dispose();
    }

    private async Task ServeAsync(string path, int status, string body)
    {
        while (!stop.IsCancellationRequested)
        {
            using var client = await listener.AcceptTcpClientAsync(stop.Token);
            await using var stream = client.GetStream();
            using var reader = new StreamReader(stream, Encoding.ASCII, leaveOpen: true);
            var requestLine = await reader.ReadLineAsync(stop.Token) ?? string.Empty;
            while (!string.IsNullOrEmpty(await reader.ReadLineAsync(stop.Token)))
            {
            }

            var requested = requestLine.Split(' ').ElementAtOrDefault(1);
            var (code, content) = requested == path ? (status, body) : (404, "not found");
            var reason = code switch { 200 => "OK", 404 => "Not Found", _ => "Error" };
            var bytes = Encoding.UTF8.GetBytes(content);
            var head = $"HTTP/1.1 {code} {reason}\r\nContent-Type: application/json\r\nContent-Length: {bytes.Length}\r\nConnection: close\r\n\r\n";
            await stream.WriteAsync(Encoding.ASCII.GetBytes(head), stop.Token);
            await stream.WriteAsync(bytes, stop.Token);
        }
    }
}
