using System.Globalization;
using System.Text;
using System.Xml;

namespace Moat.Web.Dashboard;

/// <summary>
/// The dashboard's charts as inline SVG, drawn on the server so the page is complete without
/// script. Written with an <see cref="XmlWriter"/>, so the output is well-formed and every text
/// is escaped whatever an engine calls itself. Colours and fonts come from classes in moat.css:
/// the CSP allows no style attributes.
/// </summary>
public static class SvgCharts
{
    private const string SvgNamespace = "http://www.w3.org/2000/svg";

    private static readonly XmlWriterSettings Settings = new()
    {
        OmitXmlDeclaration = true,
        ConformanceLevel = ConformanceLevel.Fragment,
        Indent = false,
    };

    /// <summary>Messages received and sent per minute: one pair of bars per minute, oldest on the left.</summary>
    public static string Traffic(IReadOnlyList<MinuteTraffic> minutes)
    {
        ArgumentNullException.ThrowIfNull(minutes);
        const double width = 600, height = 150, left = 40, right = 4, top = 10, bottom = 20;
        var plotWidth = width - left - right;
        var plotHeight = height - top - bottom;
        var scale = NiceCeiling(minutes.Count == 0 ? 0 : minutes.Max(m => Math.Max(m.In, m.Out)));
        var received = minutes.Sum(m => m.In);
        var sent = minutes.Sum(m => m.Out);

        return Write(writer =>
        {
            StartSvg(
                writer,
                "chart traffic",
                width,
                height,
                $"Messages per minute over the last {minutes.Count} minutes: {received} received, {sent} sent.");
            Grid(writer, left, top, plotWidth, plotHeight, scale);

            var slot = minutes.Count == 0 ? plotWidth : plotWidth / minutes.Count;
            var bar = Math.Max(1, (slot - 2) / 2);
            for (var i = 0; i < minutes.Count; i++)
            {
                var minute = minutes[i];
                var x = left + (i * slot);
                var ago = minutes.Count - 1 - i;
                writer.WriteStartElement("g", SvgNamespace);
                writer.WriteAttributeString("class", "minute");
                writer.WriteElementString(
                    "title",
                    SvgNamespace,
                    $"{(ago == 0 ? "This minute" : ago == 1 ? "1 minute ago" : $"{ago} minutes ago")}: {minute.In} received, {minute.Out} sent");
                Rect(writer, "hit", x, top, slot, plotHeight);
                BarFromBase(writer, "in", x + 1, bar, minute.In, scale, top, plotHeight);
                BarFromBase(writer, "out", x + 1 + bar, bar, minute.Out, scale, top, plotHeight);
                writer.WriteEndElement();
            }

            var labelY = height - 5;
            Text(writer, "label start", left, labelY, $"{minutes.Count} min ago");
            Text(writer, "label middle", left + (plotWidth / 2), labelY, $"{minutes.Count / 2} min ago");
            Text(writer, "label end", width - right, labelY, "now");
            writer.WriteEndElement();
        });
    }

    /// <summary>How one engine's recent scan times are spread over <see cref="DurationWindow.BucketBounds"/>.</summary>
    public static string Durations(EngineTimes times)
    {
        ArgumentNullException.ThrowIfNull(times);
        const double width = 320, height = 120, left = 30, right = 6, top = 10, bottom = 20;
        var plotWidth = width - left - right;
        var plotHeight = height - top - bottom;
        var buckets = times.Buckets;
        var scale = NiceCeiling(buckets.Count == 0 ? 0 : buckets.Max());

        return Write(writer =>
        {
            StartSvg(
                writer,
                "chart durations",
                width,
                height,
                $"Scan times of {times.Engine} over its last {times.Samples} objects: median {DashboardFormat.Duration(times.P50Seconds)}, 95th percentile {DashboardFormat.Duration(times.P95Seconds)}.");
            Grid(writer, left, top, plotWidth, plotHeight, scale);

            var slot = buckets.Count == 0 ? plotWidth : plotWidth / buckets.Count;
            for (var i = 0; i < buckets.Count; i++)
            {
                var x = left + (i * slot);
                writer.WriteStartElement("g", SvgNamespace);
                writer.WriteAttributeString("class", "bucket");
                writer.WriteElementString("title", SvgNamespace, $"{BucketLabel(i)}: {buckets[i]}");
                Rect(writer, "hit", x, top, slot, plotHeight);
                BarFromBase(writer, "bar", x + 1, Math.Max(1, slot - 2), buckets[i], scale, top, plotHeight);
                writer.WriteEndElement();
            }

            // A label under every third bound: 1 ms, 10 ms, 100 ms, 1 s, 10 s.
            for (var bound = 0; bound < DurationWindow.BucketBounds.Count && bound < buckets.Count; bound += 3)
            {
                Text(writer, "label middle", left + ((bound + 1) * slot), height - 5, DashboardFormat.Duration(DurationWindow.BucketBounds[bound]));
            }

            writer.WriteEndElement();
        });
    }

    /// <summary>For people: "≤ 1 ms", "1 ms – 2 ms", "&gt; 30 s".</summary>
    public static string BucketLabel(int bucket)
    {
        var bounds = DurationWindow.BucketBounds;
        ArgumentOutOfRangeException.ThrowIfNegative(bucket);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(bucket, bounds.Count);
        return bucket == 0 ? "≤ " + DashboardFormat.Duration(bounds[0])
            : bucket == bounds.Count ? "> " + DashboardFormat.Duration(bounds[^1])
            : DashboardFormat.Duration(bounds[bucket - 1]) + " – " + DashboardFormat.Duration(bounds[bucket]);
    }

    /// <summary>The smallest of 1, 2, 5 × 10ⁿ at or above <paramref name="value"/> (at least 1): round gridline labels.</summary>
    public static long NiceCeiling(long value)
    {
        long nice = 1;
        while (true)
        {
            foreach (var step in (ReadOnlySpan<long>)[1, 2, 5])
            {
                if (nice * step >= value)
                {
                    return nice * step;
                }
            }

            if (nice > long.MaxValue / 100)
            {
                return long.MaxValue;
            }

            nice *= 10;
        }
    }

    private static string Write(Action<XmlWriter> draw)
    {
        var output = new StringBuilder();
        using (var writer = XmlWriter.Create(output, Settings))
        {
            draw(writer);
        }

        return output.ToString();
    }

    private static void StartSvg(XmlWriter writer, string classes, double width, double height, string label)
    {
        writer.WriteStartElement("svg", SvgNamespace);
        writer.WriteAttributeString("class", classes);
        writer.WriteAttributeString("viewBox", $"0 0 {Number(width)} {Number(height)}");
        writer.WriteAttributeString("role", "img");
        writer.WriteAttributeString("aria-label", Clean(label));
        writer.WriteElementString("title", SvgNamespace, Clean(label));
    }

    private static void Grid(XmlWriter writer, double left, double top, double plotWidth, double plotHeight, long scale)
    {
        foreach (var (fraction, value) in new[] { (0.0, 0L), (0.5, scale / 2), (1.0, scale) })
        {
            if (fraction == 0.5 && scale % 2 != 0)
            {
                continue;
            }

            var y = top + plotHeight - (fraction * plotHeight);
            writer.WriteStartElement("line", SvgNamespace);
            writer.WriteAttributeString("class", fraction == 0 ? "axis" : "grid");
            writer.WriteAttributeString("x1", Number(left));
            writer.WriteAttributeString("x2", Number(left + plotWidth));
            writer.WriteAttributeString("y1", Number(y));
            writer.WriteAttributeString("y2", Number(y));
            writer.WriteEndElement();
            Text(writer, "label end", left - 4, y + 4, value.ToString(CultureInfo.InvariantCulture));
        }
    }

    private static void BarFromBase(XmlWriter writer, string classes, double x, double barWidth, long value, long scale, double top, double plotHeight)
    {
        if (value <= 0)
        {
            return;
        }

        // At least one unit high, so a single message among hundreds still shows.
        var barHeight = Math.Max(1, plotHeight * Math.Min(1, (double)value / scale));
        Rect(writer, classes, x, top + plotHeight - barHeight, barWidth, barHeight);
    }

    private static void Rect(XmlWriter writer, string classes, double x, double y, double rectWidth, double rectHeight)
    {
        writer.WriteStartElement("rect", SvgNamespace);
        writer.WriteAttributeString("class", classes);
        writer.WriteAttributeString("x", Number(x));
        writer.WriteAttributeString("y", Number(y));
        writer.WriteAttributeString("width", Number(rectWidth));
        writer.WriteAttributeString("height", Number(rectHeight));
        writer.WriteEndElement();
    }

    private static void Text(XmlWriter writer, string classes, double x, double y, string text)
    {
        writer.WriteStartElement("text", SvgNamespace);
        writer.WriteAttributeString("class", classes);
        writer.WriteAttributeString("x", Number(x));
        writer.WriteAttributeString("y", Number(y));
        writer.WriteString(Clean(text));
        writer.WriteEndElement();
    }

    private static string Number(double value) => value.ToString("0.##", CultureInfo.InvariantCulture);

    /// <summary>Drops characters XML cannot carry (control characters in a name would make the writer throw).</summary>
    private static string Clean(string text)
    {
        if (text.All(XmlConvert.IsXmlChar))
        {
            return text;
        }

        var kept = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            if (XmlConvert.IsXmlChar(text[i]))
            {
                kept.Append(text[i]);
            }
            else if (i + 1 < text.Length && XmlConvert.IsXmlSurrogatePair(text[i + 1], text[i]))
            {
                kept.Append(text[i]).Append(text[i + 1]);
                i++;
            }
        }

        return kept.ToString();
    }
}
