using System.Text;
using Moat.Queue.Delivery;
using Moat.Queue.Spool;
using Moat.Testing;

namespace Moat.Queue.Tests;

/// <summary>Shared helpers: options on a temp folder, committing messages, waiting for conditions.</summary>
internal static class TestQueue
{
    public static QueueOptions Options(TempFolder folder) => new()
    {
        Folder = folder.Combine("queue"),
        Hostname = "gw.test",
        ScanInterval = TimeSpan.FromMilliseconds(200),
        Retry = new RetryScheduleOptions { First = TimeSpan.FromMilliseconds(100), Factor = 2, Maximum = TimeSpan.FromMilliseconds(400) },
        Delivery = new DeliveryOptions
        {
            ConnectTimeout = TimeSpan.FromSeconds(5),
            CommandTimeout = TimeSpan.FromSeconds(10),
            ConnectionIdleTime = TimeSpan.FromSeconds(30),
        },
    };

    public static RouteOptions SmtpRoute(string domain, string host, int port) =>
        new() { Domain = domain, Type = RouteType.Smtp, Host = host, Port = port, Tls = TlsMode.None };

    public static byte[] Message(string subject = "test", string body = "Hello.\r\n") =>
        Encoding.UTF8.GetBytes($"From: <sender@origin.test>\r\nTo: <rcpt@dest.test>\r\nSubject: {subject}\r\nMessage-ID: <{Guid.NewGuid():N}@origin.test>\r\n\r\n{body}");

    public static Envelope Envelope(string sender, params string[] recipients) => new()
    {
        Sender = sender,
        Recipients = recipients.Select(r => new EnvelopeRecipient { Address = r }).ToList(),
        ClientAddress = "127.0.0.1",
        HeloName = "client.test",
        Listener = "inbound",
    };

    public static async Task<string> CommitAsync(MessageSpool spool, byte[] content, Envelope envelope, QueueState target = QueueState.Incoming)
    {
        await using var writer = await spool.CreateAsync(CancellationToken.None);

        // Written in pieces, the way the SMTP side streams DATA.
        for (var offset = 0; offset < content.Length; offset += 7)
        {
            await writer.Content.WriteAsync(content.AsMemory(offset, Math.Min(7, content.Length - offset)));
        }

        await writer.CommitAsync(envelope, target, CancellationToken.None);
        return writer.Id;
    }

    public static async Task WaitUntilAsync(Func<bool> condition, string what, int seconds = 20)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("timed out waiting until " + what);
            }

            await Task.Delay(20);
        }
    }

    public static int CountAll(MessageSpool spool) =>
        MessageSpool.AllStates.Sum(s => spool.ListIds(s).Count);
}
