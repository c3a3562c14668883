using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;

namespace Moat.Testing;

/// <summary>
/// A real SMTP server (Python aiosmtpd, Debian's python3-aiosmtpd) on 127.0.0.1 and a free port.
/// A small handler stores every message as &lt;name&gt;.eml (exact bytes after dot-unstuffing) plus
/// &lt;name&gt;.json (envelope, HELO, client port) in a folder, and answers chosen recipients or
/// DATA with given 4xx/5xx replies.
/// </summary>
public sealed class AioSmtpdServer : ServerProcess
{
    private const string HandlerModule = "moat_test_smtpd";

    private const string HandlerSource = """
        import json, os, uuid


        class Handler:
            def __init__(self, folder, rules_path):
                self.folder = folder
                with open(rules_path, encoding="utf-8") as f:
                    rules = json.load(f)
                self.rcpt = {k.lower(): list(v) for k, v in rules.get("rcpt", {}).items()}
                self.data = list(rules.get("data", []))
                self.count = 0

            @classmethod
            def from_cli(cls, parser, *args):
                return cls(*args)

            @staticmethod
            def _next(replies):
                if not replies:
                    return None
                reply = replies[0]
                if len(replies) > 1:
                    replies.pop(0)
                return reply or None

            async def handle_MAIL(self, server, session, envelope, address, mail_options):
                envelope.mail_from = address
                envelope.mail_options.extend(mail_options)
                return "250 2.1.0 OK"

            async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
                reply = self._next(self.rcpt.get(address.lower()))
                if reply:
                    return reply
                envelope.rcpt_tos.append(address)
                envelope.rcpt_options.extend(rcpt_options)
                return "250 2.1.5 OK"

            async def handle_DATA(self, server, session, envelope):
                reply = self._next(self.data)
                if reply:
                    return reply
                self.count += 1
                name = "%06d-%s" % (self.count, uuid.uuid4().hex[:8])
                content = envelope.original_content if envelope.original_content is not None else envelope.content
                if isinstance(content, str):
                    content = content.encode("utf-8", "surrogateescape")
                meta = {
                    "mail_from": "" if envelope.mail_from in (None, "<>") else envelope.mail_from,
                    "rcpt_tos": envelope.rcpt_tos,
                    "mail_options": envelope.mail_options,
                    "rcpt_options": envelope.rcpt_options,
                    "helo": session.host_name or "",
                    "peer_port": session.peer[1],
                    "tls": session.ssl is not None,
                }
                with open(os.path.join(self.folder, name + ".json"), "w", encoding="utf-8") as f:
                    json.dump(meta, f)
                tmp = os.path.join(self.folder, name + ".tmp")
                with open(tmp, "wb") as f:
                    f.write(content)
                os.rename(tmp, os.path.join(self.folder, name + ".eml"))
                return "250 2.0.0 OK queued as " + name
        """;

    private readonly TempFolder folder;

    private AioSmtpdServer(TempFolder folder, int port, IEnumerable<string> arguments)
        : base(TestPrerequisites.DebianPython, arguments, new Dictionary<string, string> { ["PYTHONPATH"] = folder.Path })
    {
        this.folder = folder;
        Port = port;
    }

    public string Host => "127.0.0.1";

    public int Port { get; }

    public string MessageFolder => folder.Combine("messages");

    public static async Task<AioSmtpdServer> StartAsync(AioSmtpdOptions? options = null)
    {
        options ??= new AioSmtpdOptions();
        TestPrerequisites.RequirePythonModule("aiosmtpd", "python3-aiosmtpd");
        var folder = new TempFolder("moat-aiosmtpd");
        Directory.CreateDirectory(folder.Combine("messages"));
        await File.WriteAllTextAsync(folder.Combine(HandlerModule + ".py"), HandlerSource);
        var rules = new Dictionary<string, object>
        {
            ["rcpt"] = options.RecipientReplies,
            ["data"] = options.DataReplies,
        };
        await File.WriteAllTextAsync(folder.Combine("rules.json"), JsonSerializer.Serialize(rules));

        var port = options.Port ?? FreePort.Get();
        List<string> arguments = ["-m", "aiosmtpd", "-n", "-l", $"127.0.0.1:{port}"];
        if (options.SmtpUtf8)
        {
            arguments.Add("--smtputf8");
        }

        if (options.StartTls)
        {
            await WriteSelfSignedCertificateAsync(folder.Combine("cert.pem"), folder.Combine("key.pem"));
            arguments.AddRange(["--tlscert", folder.Combine("cert.pem"), "--tlskey", folder.Combine("key.pem"), "--no-requiretls"]);
        }

        arguments.AddRange(["-c", HandlerModule + ".Handler", folder.Combine("messages"), folder.Combine("rules.json")]);
        var server = new AioSmtpdServer(folder, port, arguments);
        try
        {
            await server.WaitForTcpAsync(port, TimeSpan.FromSeconds(15));
            return server;
        }
        catch
        {
            server.Dispose();
            throw;
        }
    }

    /// <summary>Messages received so far, in arrival order.</summary>
    public IReadOnlyList<ReceivedMessage> Messages()
    {
        var messages = new List<ReceivedMessage>();
        foreach (var eml in Directory.GetFiles(MessageFolder, "*.eml").Order(StringComparer.Ordinal))
        {
            var name = Path.GetFileNameWithoutExtension(eml);
            using var meta = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(MessageFolder, name + ".json")));
            var root = meta.RootElement;
            messages.Add(new ReceivedMessage(
                name,
                root.GetProperty("mail_from").GetString() ?? string.Empty,
                Strings(root.GetProperty("rcpt_tos")),
                Strings(root.GetProperty("mail_options")),
                Strings(root.GetProperty("rcpt_options")),
                root.GetProperty("helo").GetString() ?? string.Empty,
                root.GetProperty("peer_port").GetInt32(),
                root.GetProperty("tls").GetBoolean(),
                File.ReadAllBytes(eml)));
        }

        return messages;
    }

    /// <summary>Connections that delivered at least one message (distinct client ports).</summary>
    public int ConnectionsUsed() => Messages().Select(m => m.PeerPort).Distinct().Count();

    /// <summary>Waits until at least <paramref name="count"/> messages arrived.</summary>
    public async Task<IReadOnlyList<ReceivedMessage>> WaitForMessagesAsync(int count, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var messages = Messages();
            if (messages.Count >= count)
            {
                return messages;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"{messages.Count} of {count} messages arrived at aiosmtpd: {Output}");
            }

            ThrowIfExited();
            await Task.Delay(25);
        }
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing)
        {
            folder.Dispose();
        }
    }

    private static async Task WriteSelfSignedCertificateAsync(string certificatePath, string keyPath)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        await File.WriteAllTextAsync(certificatePath, certificate.ExportCertificatePem());
        await File.WriteAllTextAsync(keyPath, key.ExportPkcs8PrivateKeyPem());
    }

    private static List<string> Strings(JsonElement array) =>
        array.EnumerateArray().Select(e => e.GetString() ?? string.Empty).ToList();
}
