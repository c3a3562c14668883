using Moat.Queue.Delivery;
using Moat.Queue.Dns;

namespace Moat.Queue;

/// <summary>Everything the queue and delivery need, as a plain object the host binds from configuration.</summary>
public sealed class QueueOptions
{
    /// <summary>Root folder of the spool; the state folders (incoming, active, ...) are created below it.</summary>
    public string Folder { get; set; } = "moat-data/queue";

    /// <summary>Our host name: EHLO name, Reporting-MTA of DSNs, MAILER-DAEMON's domain, Maildir file names.</summary>
    public string Hostname { get; set; } = System.Net.Dns.GetHostName();

    /// <summary>How often the folders are rescanned for messages published by other processes or moved by the admin CLI.</summary>
    public TimeSpan ScanInterval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>After this time in the queue, still-pending recipients fail with 4.4.7 (Postfix: maximal_queue_lifetime).</summary>
    public TimeSpan MaximalLifetime { get; set; } = TimeSpan.FromDays(5);

    /// <summary>Delivery attempts running at the same time, over all destinations.</summary>
    public int MaxConcurrentDeliveries { get; set; } = 20;

    /// <summary>Delivery attempts running at the same time to one destination (route, MX domain or relay host).</summary>
    public int MaxConcurrentPerDestination { get; set; } = 5;

    /// <summary>Messages held in the active state at once; bounds memory when the queue is long.</summary>
    public int MaxActiveMessages { get; set; } = 500;

    /// <summary>
    /// Temp files younger than this are left alone by the cleanup, because another process (the SMTP
    /// server) may still be writing them. Older ones are remains of a crash.
    /// </summary>
    public TimeSpan TempFileGrace { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>A DSN returns the full original message only up to this size; above it only the headers.</summary>
    public long DsnMaxReturnedBytes { get; set; } = 64 * 1024;

    public RetryScheduleOptions Retry { get; set; } = new();

    public DeliveryOptions Delivery { get; set; } = new();

    public DnsOptions Dns { get; set; } = new();
}
