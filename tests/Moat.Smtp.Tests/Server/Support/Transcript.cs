using System.Text;
using Moat.Smtp.Server;

namespace Moat.Smtp.Tests.Server.Support;

/// <summary>
/// A client/server dialogue read from a file: <c>C:</c> lines are sent (CRLF added), <c>S:</c>
/// lines are the expected replies, <c>O: Name=Value</c> sets a server option, <c>#</c> comments.
/// Besides the numeric limits, <c>O: Tls=StartTls</c> gives the server a certificate (the client
/// handshakes when STARTTLS is answered 220), <c>O: Tls=Implicit</c> makes the listener implicit
/// TLS, and <c>O: AuthenticationMechanisms=PLAIN LOGIN</c> offers AUTH.
/// </summary>
public sealed class Transcript
{
    private readonly List<(bool FromClient, string Text)> _steps = [];
    private readonly Dictionary<string, string> _options = [];

    public static string Directory => Path.Combine(AppContext.BaseDirectory, "Server", "Transcripts");

    public static IEnumerable<string> Names =>
        System.IO.Directory.GetFiles(Directory, "*.txt").Select(Path.GetFileNameWithoutExtension).Order()!;

    public IReadOnlyList<string> ServerLines => [.. _steps.Where(s => !s.FromClient).Select(s => s.Text)];

    public static Transcript Load(string name)
    {
        var transcript = new Transcript();
        foreach (var line in File.ReadAllLines(Path.Combine(Directory, name + ".txt")))
        {
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            var text = line.Length > 3 ? line[3..] : string.Empty;
            switch (line[..2])
            {
                case "C:":
                    transcript._steps.Add((true, text));
                    break;
                case "S:":
                    transcript._steps.Add((false, text));
                    break;
                case "O:":
                    var parts = text.Split('=', 2);
                    transcript._options[parts[0]] = parts[1];
                    break;
                default:
                    throw new InvalidDataException($"Bad transcript line in {name}: {line}");
            }
        }

        return transcript;
    }

    private bool ImplicitTls => _options.GetValueOrDefault("Tls") == "Implicit";

    public SmtpServerOptions CreateOptions()
    {
        var defaults = TestServer.Options();
        int Int(string name, int value) => _options.TryGetValue(name, out var v) ? int.Parse(v) : value;
        var mechanisms = _options.GetValueOrDefault(nameof(SmtpListenerOptions.AuthenticationMechanisms), string.Empty)
            .Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return new SmtpServerOptions
        {
            HostName = defaults.HostName,
            Certificate = _options.ContainsKey("Tls") ? TestCertificate.Instance : null,
            Listeners = [TestServer.Listener(implicitTls: ImplicitTls, authentication: mechanisms)],
            MaxRecipients = Int(nameof(SmtpServerOptions.MaxRecipients), defaults.MaxRecipients),
            MaxMessageSize = Int(nameof(SmtpServerOptions.MaxMessageSize), (int)defaults.MaxMessageSize),
            MaxErrors = Int(nameof(SmtpServerOptions.MaxErrors), defaults.MaxErrors),
            MaxCommandLineLength = Int(nameof(SmtpServerOptions.MaxCommandLineLength), defaults.MaxCommandLineLength),
        };
    }

    /// <summary>Plays the client side against a fresh server and returns every line the server sent.</summary>
    public async Task<(IReadOnlyList<string> Lines, RecordingHandlerFactory Handlers)> ReplayAsync(ReplayMode mode)
    {
        await using var server = await TestServer.StartAsync(CreateOptions());
        await using var client = await server.ConnectAsync();
        if (ImplicitTls)
        {
            await client.StartTlsAsync();
        }

        var received = new List<string>();
        var i = 0;
        while (i < _steps.Count)
        {
            var clientLines = TakeRun(ref i, fromClient: true);
            var serverCount = TakeRun(ref i, fromClient: false).Count;
            if (mode == ReplayMode.AllAtOnce && clientLines.Count > 0)
            {
                // The rest of the dialogue in one write, the replies read after it; but nothing
                // may be pipelined past STARTTLS, so a STARTTLS ends the write.
                while (i < _steps.Count && !EndsWithStartTls(clientLines))
                {
                    clientLines.AddRange(TakeRun(ref i, fromClient: true));
                    serverCount += TakeRun(ref i, fromClient: false).Count;
                }

                await client.SendAsync(string.Concat(clientLines.Select(l => l + "\r\n")));
            }
            else
            {
                foreach (var line in clientLines)
                {
                    var bytes = Encoding.UTF8.GetBytes(line + "\r\n");
                    await (mode == ReplayMode.ByteByByte ? client.SendByteByByteAsync(bytes) : client.SendAsync(bytes));
                }
            }

            for (var n = 0; n < serverCount; n++)
            {
                received.Add(await client.ReadLineAsync() ?? "<closed>");
            }

            if (EndsWithStartTls(clientLines) && received is [.., var last] && last.StartsWith("220 ", StringComparison.Ordinal))
            {
                await client.StartTlsAsync();
            }
        }

        received.AddRange(await client.ReadToEndAsync());
        return (received, server.Handlers);
    }

    private static bool EndsWithStartTls(List<string> clientLines) =>
        clientLines is [.., var last] && last.Equals("STARTTLS", StringComparison.OrdinalIgnoreCase);

    private List<string> TakeRun(ref int i, bool fromClient)
    {
        var run = new List<string>();
        while (i < _steps.Count && _steps[i].FromClient == fromClient)
        {
            run.Add(_steps[i++].Text);
        }

        return run;
    }
}
