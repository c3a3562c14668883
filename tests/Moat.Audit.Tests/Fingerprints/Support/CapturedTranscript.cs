using System.Net;
using System.Runtime.CompilerServices;
using Moat.Audit.Discovery;
using Moat.Audit.Probing;

namespace Moat.Audit.Tests.Fingerprints.Support;

/// <summary>
/// Turns a transcript in <see cref="ListenerObservation.Transcript"/>'s format ("-- connected",
/// "C: command", "S: reply line") back into the observation the prober would have built: the
/// first connection gives greeting, EHLO, VRFY/EXPN and the other replies; later ones the relay
/// probes and, after a TLS handshake note, the EHLO under TLS. Lines starting with '#' are comments.
/// </summary>
internal static class CapturedTranscript
{
    public static ListenerObservation Load(string name) => Parse(File.ReadAllText(Path.Combine(DataFolder(), name + ".txt")));

    public static IEnumerable<string> Names() =>
        Directory.GetFiles(DataFolder(), "*.txt").Select(Path.GetFileNameWithoutExtension).OfType<string>().Order(StringComparer.Ordinal);

    public static ListenerObservation Parse(string text)
    {
        var lines = text.Split('\n').Select(l => l.TrimEnd('\r')).Where(l => l.Length > 0 && !l.StartsWith('#')).ToList();
        var session = -1;
        var tls = false;
        string? command = null;
        var reply = new List<string>();
        IReadOnlyList<string> greeting = [], ehlo = [], ehloAfterTls = [];
        var users = new Dictionary<string, string>(StringComparer.Ordinal);
        var replies = new Dictionary<string, string>(StringComparer.Ordinal);
        var relay = new List<RelayProbeResult>();
        (string From, string Reply)? mail = null;

        void Flush()
        {
            if (command is null)
            {
                if (session == 0 && reply.Count > 0)
                {
                    greeting = reply.ToList();
                }
            }
            else if (command.StartsWith("EHLO ", StringComparison.Ordinal) || command.StartsWith("HELO ", StringComparison.Ordinal))
            {
                if (session == 0 && !tls && ehlo.Count == 0)
                {
                    ehlo = reply.ToList();
                }
                else if (tls && ehloAfterTls.Count == 0)
                {
                    ehloAfterTls = reply.ToList();
                }
            }
            else if (session == 0 && (command.StartsWith("VRFY ", StringComparison.Ordinal) || command.StartsWith("EXPN ", StringComparison.Ordinal)))
            {
                users[command] = string.Join('\n', reply);
            }
            else if (session > 0 && command.StartsWith("MAIL FROM:<", StringComparison.Ordinal))
            {
                var from = command["MAIL FROM:<".Length..^1];
                var text = string.Join('\n', reply);
                if (text.StartsWith('2'))
                {
                    mail = (from, text);
                }
                else
                {
                    relay.Add(new RelayProbeResult("captured", from, string.Empty, [text], false));
                }
            }
            else if (session > 0 && command.StartsWith("RCPT TO:<", StringComparison.Ordinal) && mail is { } m)
            {
                var text = string.Join('\n', reply);
                relay.Add(new RelayProbeResult("captured", m.From, command["RCPT TO:<".Length..^1], [m.Reply, text], text.StartsWith('2')));
                mail = null;
            }
            else if (session == 0)
            {
                replies.TryAdd(command, string.Join('\n', reply));
            }

            reply.Clear();
        }

        foreach (var line in lines)
        {
            if (line.StartsWith("-- connected", StringComparison.Ordinal))
            {
                Flush();
                session++;
                tls = false;
                command = null;
            }
            else if (line.StartsWith("-- TLS handshake:", StringComparison.Ordinal))
            {
                Flush();
                command = null;
                tls = true;
            }
            else if (line.StartsWith("C: ", StringComparison.Ordinal))
            {
                Flush();
                command = line[3..];
            }
            else if (line.StartsWith("S: ", StringComparison.Ordinal))
            {
                reply.Add(line[3..]);
            }
        }

        Flush();
        var keywords = EhloKeywords.Parse(ehlo);
        return new ListenerObservation
        {
            Endpoint = new ListenerEndpoint(IPAddress.Parse("192.0.2.1"), 25),
            Greeting = greeting,
            Ehlo = ehlo,
            Keywords = keywords,
            EhloAfterTls = ehloAfterTls,
            StartTlsOffered = keywords.Contains("STARTTLS"),
            AuthBeforeTls = EhloKeywords.AuthMechanisms(ehlo),
            UserEnumeration = users,
            Replies = replies,
            RelayProbes = relay,
            Transcript = lines,
        };
    }

    private static string DataFolder([CallerFilePath] string source = "") =>
        Path.Combine(Path.GetDirectoryName(source)!, "..", "Data");
}
