using Moat.Web.Dashboard;

namespace Moat.Web.Tests.Dashboard;

/// <summary>A dashboard source with set figures that counts how often it is asked.</summary>
internal sealed class FixedDashboardSource(DashboardSnapshot snapshot) : IDashboardSource
{
    private int calls;

    public int Calls => Volatile.Read(ref calls);

    public static DashboardSnapshot Sample(DateTimeOffset now)
    {
        var empty = DashboardSnapshot.Empty(now);
        var minutes = empty.PerMinute.ToArray();
        minutes[^1] = minutes[^1] with { In = 3, Out = 2 };
        minutes[^5] = minutes[^5] with { In = 12, Out = 9 };
        var window = new DurationWindow();
        foreach (var milliseconds in new[] { 1.5, 2, 3, 40, 900 })
        {
            window.Record(TimeSpan.FromMilliseconds(milliseconds));
        }

        return empty with
        {
            MessagesInLastMinute = 3,
            MessagesOutLastMinute = 2,
            PerMinute = minutes,
            Verdicts = new Dictionary<string, long> { ["accept"] = 1234, ["reject"] = 5, ["greylist"] = 2 },
            Queue = new QueueDepth(4, 1, 2, 3, 0, now.AddMinutes(-90), 5400),
            Signatures = new SignatureSummary(2, 3_600_123, ["main.hdb", "daily.ndb"], now.AddHours(-3), 3 * 3600, null),
            ScanCount = 2,
            Scans =
            [
                new ScanInProgress(7, "/var/spool/moat/content/ABC", 512 * 1024, 2 * 1024 * 1024, "message › part 2 (invoice.zip) › <evil>.exe", 3, 1.5),
                new ScanInProgress(8, "stream", 100, null, null, 0, 0.2),
            ],
            Engines = [window.Summarize("signatures"), new DurationWindow().Summarize("<b>clamd</b>")],
        };
    }

    public DashboardSnapshot GetSnapshot()
    {
        Interlocked.Increment(ref calls);
        return snapshot with { At = DateTimeOffset.UtcNow };
    }
}
