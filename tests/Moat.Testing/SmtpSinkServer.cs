using System.Net;
using System.Text;

namespace Moat.Testing;

/// <summary>
/// Postfix's smtp-sink on 127.0.0.1 and a free port: a fast SMTP server that accepts everything.
/// It drops privileges to nobody (required when run as root). With <c>dump</c> each transaction is
/// written to a file in <see cref="DumpFolder"/>; with <c>count</c> (-c) smtp-sink prints running
/// counters, read by <see cref="CountedMessages"/> and <see cref="CountedSessions"/> (cheaper
/// than dumping, for load tests).
/// </summary>
public sealed class SmtpSinkServer : ServerProcess
{
    public const string Executable = "/usr/sbin/smtp-sink";

    private readonly TempFolder folder;

    private SmtpSinkServer(TempFolder folder, IPAddress address, int port, IEnumerable<string> arguments)
        : base(Executable, arguments)
    {
        this.folder = folder;
        Address = address;
        Port = port;
    }

    public IPAddress Address { get; }

    public string Host => Address.ToString();

    public int Port { get; }

    public string DumpFolder => folder.Combine("dump");

    /// <param name="address">A loopback address to listen on; another than 127.0.0.1 stands for a second host (default 127.0.0.1).</param>
    public static async Task<SmtpSinkServer> StartAsync(bool dump = true, bool count = false, int backlog = 64, IPAddress? address = null)
    {
        address ??= IPAddress.Loopback;
        TestPrerequisites.RequireExecutable(Executable, "postfix");
        var folder = new TempFolder("moat-sink");
        Directory.CreateDirectory(folder.Combine("dump"));
        folder.AllowEveryone();
        folder.AllowEveryone(folder.Combine("dump"));
        var port = FreePort.Get();
        var arguments = new List<string>();
        if (Environment.UserName == "root")
        {
            arguments.AddRange(["-u", "nobody"]);
        }

        if (count)
        {
            arguments.Add("-c");
        }

        if (dump)
        {
            // strftime template; smtp-sink appends a random hex suffix per transaction.
            arguments.AddRange(["-d", folder.Combine("dump", "%Y%m%d%H%M%S.")]);
        }

        arguments.AddRange([$"{address}:{port}", backlog.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        var server = new SmtpSinkServer(folder, address, port, arguments);
        try
        {
            await server.WaitForTcpAsync(port, TimeSpan.FromSeconds(15), address);
            return server;
        }
        catch
        {
            server.Dispose();
            throw;
        }
    }

    /// <summary>Messages accepted so far, from smtp-sink's -c counter (0 without <c>count</c>).</summary>
    public int CountedMessages => LastCounter("mesg=");

    /// <summary>Sessions (connections) so far, from smtp-sink's -c counter (0 without <c>count</c>).</summary>
    public int CountedSessions => LastCounter("sess=");

    /// <summary>Transactions dumped so far.</summary>
    public int MessageCount => Directory.GetFiles(DumpFolder).Length;

    public IReadOnlyList<SmtpSinkDump> Dumps() =>
        Directory.GetFiles(DumpFolder).Order(StringComparer.Ordinal).Select(Parse).ToList();

    public async Task<IReadOnlyList<SmtpSinkDump>> WaitForMessagesAsync(int count, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (MessageCount < count)
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"{MessageCount} of {count} messages arrived at smtp-sink: {Output}");
            }

            ThrowIfExited();
            await Task.Delay(25);
        }

        // smtp-sink may still be writing the last file.
        await Task.Delay(50);
        return Dumps();
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing)
        {
            folder.Dispose();
        }
    }

    /// <summary>Waits until the -c counter reaches <paramref name="count"/> messages.</summary>
    public async Task WaitForCountAsync(int count, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (CountedMessages < count)
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"{CountedMessages} of {count} messages counted by smtp-sink: {Output}");
            }

            ThrowIfExited();
            await Task.Delay(25);
        }
    }

    private int LastCounter(string name)
    {
        // The counter line is "sess=N quit=N mesg=N", rewritten in place with CR.
        var output = Output;
        var at = output.LastIndexOf(name, StringComparison.Ordinal);
        if (at < 0)
        {
            return 0;
        }

        var digits = output.AsSpan(at + name.Length);
        var length = 0;
        while (length < digits.Length && char.IsAsciiDigit(digits[length]))
        {
            length++;
        }

        return int.Parse(digits[..length], System.Globalization.CultureInfo.InvariantCulture);
    }

    private static SmtpSinkDump Parse(string path)
    {
        var lines = File.ReadAllText(path, Encoding.Latin1).Split('\n');
        var from = string.Empty;
        var helo = string.Empty;
        var recipients = new List<string>();
        var index = 0;
        for (; index < lines.Length; index++)
        {
            var line = lines[index];
            if (line.StartsWith("X-Mail-Args: ", StringComparison.Ordinal))
            {
                from = Path0(line["X-Mail-Args: ".Length..]);
            }
            else if (line.StartsWith("X-Rcpt-Args: ", StringComparison.Ordinal))
            {
                recipients.Add(Path0(line["X-Rcpt-Args: ".Length..]));
            }
            else if (line.StartsWith("X-Helo-Args: ", StringComparison.Ordinal))
            {
                helo = line["X-Helo-Args: ".Length..];
            }
            else if (!line.StartsWith("X-", StringComparison.Ordinal))
            {
                break;
            }
        }

        // Skip smtp-sink's own Received header (first line plus its continuation lines).
        if (index < lines.Length && lines[index].StartsWith("Received:", StringComparison.Ordinal))
        {
            index++;
            while (index < lines.Length && lines[index].StartsWith('\t'))
            {
                index++;
            }
        }

        return new SmtpSinkDump(from, recipients, helo, string.Join('\n', lines[index..]));
    }

    private static string Path0(string args)
    {
        var start = args.IndexOf('<');
        var end = args.IndexOf('>');
        return start >= 0 && end > start ? args[(start + 1)..end] : args;
    }
}
