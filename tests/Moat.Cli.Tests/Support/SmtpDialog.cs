using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Moat.Cli.Tests.Support;

/// <summary>
/// A line-by-line SMTP conversation over a plain socket, for checking exact replies where a
/// full client would hide them (HELP, VRFY, odd paths).
/// </summary>
public sealed class SmtpDialog : IDisposable
{
    private readonly TcpClient client;
    private readonly StreamReader reader;
    private readonly Stream stream;

    private SmtpDialog(TcpClient client)
    {
        this.client = client;
        stream = client.GetStream();
        reader = new StreamReader(stream, Encoding.UTF8);
    }

    public string Greeting { get; private set; } = string.Empty;

    public static async Task<SmtpDialog> ConnectAsync(int port)
    {
        var client = new TcpClient { NoDelay = true };
        await client.ConnectAsync(IPAddress.Loopback, port);
        var dialog = new SmtpDialog(client);
        dialog.Greeting = await dialog.ReadReplyAsync();
        return dialog;
    }

    /// <summary>Sends one command line and returns the whole reply (lines joined by '\n').</summary>
    public async Task<string> SendAsync(string line)
    {
        await stream.WriteAsync(Encoding.UTF8.GetBytes(line + "\r\n"));
        return await ReadReplyAsync();
    }

    public async Task<string> ReadReplyAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var lines = new List<string>();
        while (true)
        {
            var line = await reader.ReadLineAsync(timeout.Token) ?? throw new IOException("The server closed the connection.");
            lines.Add(line);
            if (line.Length < 4 || line[3] != '-')
            {
                return string.Join('\n', lines);
            }
        }
    }

    public void Dispose()
    {
        reader.Dispose();
        client.Dispose();
    }
}
