using System.Globalization;
using System.Security.Cryptography;

namespace Moat.Queue.Spool;

/// <summary>
/// Queue ids: 16 hex digits of UTC ticks, 4 of a per-process counter, 6 random. Ordinal order is
/// time order, they are unique across processes without coordination, and safe as file names.
/// </summary>
public static class QueueId
{
    public const int Length = 26;

    private static int counter = RandomNumberGenerator.GetInt32(0x10000);

    public static string New(DateTimeOffset now)
    {
        var sequence = Interlocked.Increment(ref counter) & 0xFFFF;
        var random = RandomNumberGenerator.GetInt32(0x1000000);
        return now.UtcTicks.ToString("X16", CultureInfo.InvariantCulture)
            + sequence.ToString("X4", CultureInfo.InvariantCulture)
            + random.ToString("X6", CultureInfo.InvariantCulture);
    }

    public static bool IsValid(string? id) =>
        id is { Length: Length } && id.All(char.IsAsciiHexDigitUpper);

    /// <summary>When the id was made (close to when the message arrived).</summary>
    public static bool TryGetTimestamp(string id, out DateTimeOffset timestamp)
    {
        timestamp = default;
        if (!IsValid(id) || !long.TryParse(id.AsSpan(0, 16), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var ticks)
            || ticks < DateTimeOffset.MinValue.UtcTicks || ticks > DateTimeOffset.MaxValue.UtcTicks)
        {
            return false;
        }

        timestamp = new DateTimeOffset(ticks, TimeSpan.Zero);
        return true;
    }
}
