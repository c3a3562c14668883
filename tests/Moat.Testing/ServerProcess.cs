using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Moat.Testing;

/// <summary>
/// A server started as a child process on loopback. Disposing kills it (and its children) by PID.
/// Its output is kept so a failing start can say why.
/// </summary>
public class ServerProcess : IDisposable
{
    private readonly Process process;
    private readonly StringBuilder output = new();

    protected ServerProcess(string fileName, IEnumerable<string> arguments, IDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }

        process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public int ProcessId => process.Id;

    /// <summary>What the server printed so far.</summary>
    public string Output
    {
        get
        {
            lock (output)
            {
                return output.ToString();
            }
        }
    }

    /// <summary>Waits until the port accepts TCP connections; fails with the server's output if it exits or takes too long.</summary>
    protected async Task WaitForTcpAsync(int port, TimeSpan timeout, IPAddress? address = null)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"{process.StartInfo.FileName} exited with {process.ExitCode}: {Output}");
            }

            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(address ?? IPAddress.Loopback, port);
                return;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(50);
            }
            catch (SocketException ex)
            {
                throw new TimeoutException($"{process.StartInfo.FileName} did not listen on port {port}: {Output}", ex);
            }
        }
    }

    protected void ThrowIfExited()
    {
        if (process.HasExited)
        {
            throw new InvalidOperationException($"{process.StartInfo.FileName} exited with {process.ExitCode}: {Output}");
        }
    }

    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    protected virtual void Dispose(bool disposing)
    {
        if (!disposing)
        {
            return;
        }

        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                process.WaitForExit(5000);
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }

        process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (output)
        {
            output.AppendLine(line);
        }
    }
}
