using System.Collections.Concurrent;

namespace Moat.Queue.Delivery;

/// <summary>
/// Idle SMTP connections by destination, kept for a short time so the next message to the same
/// destination skips connect, greeting, EHLO and STARTTLS.
/// </summary>
internal sealed class SmtpConnectionPool(TimeSpan idleTime, TimeProvider time) : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, ConcurrentStack<(DeliverySmtpClient Client, DateTimeOffset IdleSince)>> idle = new(StringComparer.Ordinal);

    /// <summary>Takes a live idle connection for the destination, or null.</summary>
    public async Task<DeliverySmtpClient?> TakeAsync(string destination)
    {
        if (!idle.TryGetValue(destination, out var stack))
        {
            return null;
        }

        while (stack.TryPop(out var entry))
        {
            if (entry.Client.IsConnected && time.GetUtcNow() - entry.IdleSince < idleTime)
            {
                return entry.Client;
            }

            await CloseAsync(entry.Client).ConfigureAwait(false);
        }

        return null;
    }

    public void Return(string destination, DeliverySmtpClient client)
    {
        idle.GetOrAdd(destination, _ => new ConcurrentStack<(DeliverySmtpClient, DateTimeOffset)>()).Push((client, time.GetUtcNow()));
    }

    /// <summary>Closes connections idle for longer than the idle time.</summary>
    public async Task SweepAsync()
    {
        foreach (var (_, stack) in idle)
        {
            var keep = new List<(DeliverySmtpClient Client, DateTimeOffset IdleSince)>();
            while (stack.TryPop(out var entry))
            {
                if (entry.Client.IsConnected && time.GetUtcNow() - entry.IdleSince < idleTime)
                {
                    keep.Add(entry);
                }
                else
                {
                    await CloseAsync(entry.Client).ConfigureAwait(false);
                }
            }

            // Push back oldest first so the most recently used is reused next.
            for (var i = keep.Count - 1; i >= 0; i--)
            {
                stack.Push(keep[i]);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var (_, stack) in idle)
        {
            while (stack.TryPop(out var entry))
            {
                await CloseAsync(entry.Client).ConfigureAwait(false);
            }
        }
    }

    public static async Task CloseAsync(DeliverySmtpClient client)
    {
        try
        {
            if (client.IsConnected)
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                await client.DisconnectAsync(quit: true, timeout.Token).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException or MailKit.ProtocolException or System.Net.Sockets.SocketException or InvalidOperationException)
        {
            // The peer went away first; nothing to close politely.
        }
        finally
        {
            client.Dispose();
        }
    }
}
