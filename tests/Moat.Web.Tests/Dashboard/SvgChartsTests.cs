using System.Xml.Linq;
using Moat.Web.Dashboard;

namespace Moat.Web.Tests.Dashboard;

public sealed class SvgChartsTests
{
    private static readonly XNamespace Svg = "http://www.w3.org/2000/svg";
    private static readonly DateTimeOffset Noon = new(2025, 3, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void TrafficIsWellFormedSvgWithABarPairSlotPerMinute()
    {
        var minutes = DashboardSnapshot.Empty(Noon).PerMinute
            .Select((minute, i) => minute with { In = i % 7, Out = i % 3 })
            .ToArray();

        var svg = XElement.Parse(SvgCharts.Traffic(minutes));

        Assert.Equal(Svg + "svg", svg.Name);
        Assert.Equal("img", (string?)svg.Attribute("role"));
        var groups = svg.Elements(Svg + "g").ToArray();
        Assert.Equal(60, groups.Length);
        Assert.Equal(minutes.Count(m => m.In > 0), svg.Descendants(Svg + "rect").Count(r => (string?)r.Attribute("class") == "in"));
        Assert.Equal(minutes.Count(m => m.Out > 0), svg.Descendants(Svg + "rect").Count(r => (string?)r.Attribute("class") == "out"));
        Assert.Equal("This minute: 3 received, 2 sent", groups[^1].Element(Svg + "title")!.Value);
        AssertNoStyles(svg);
    }

    [Fact]
    public void BarsStayInsideThePlotAndTheBiggestReachesTheScaleItWasRoundedTo()
    {
        var minutes = DashboardSnapshot.Empty(Noon).PerMinute.Select(m => m with { In = 3 }).ToArray();
        minutes[10] = minutes[10] with { In = 47 };

        var svg = XElement.Parse(SvgCharts.Traffic(minutes));

        var bars = svg.Descendants(Svg + "rect").Where(r => (string?)r.Attribute("class") == "in").ToArray();
        Assert.All(bars, bar =>
        {
            var y = (double)bar.Attribute("y")!;
            var height = (double)bar.Attribute("height")!;
            Assert.InRange(y, 10, 130);
            Assert.InRange(y + height, 129.99, 130.01);
        });

        // 47 rounds up to a scale of 50, which the top gridline is labelled with.
        Assert.Contains(svg.Elements(Svg + "text"), text => text.Value == "50");
    }

    [Fact]
    public void AnEmptyHourDrawsNoBars()
    {
        var svg = XElement.Parse(SvgCharts.Traffic(DashboardSnapshot.Empty(Noon).PerMinute));

        Assert.DoesNotContain(svg.Descendants(Svg + "rect"), r => (string?)r.Attribute("class") is "in" or "out");
        Assert.Contains(svg.Elements(Svg + "text"), text => text.Value == "1");
    }

    [Fact]
    public void DurationsEscapeTheEngineName()
    {
        const string name = "<script>alert(\"x\")</script> & co";
        var times = new EngineTimes(name, 3, 3, 0.004, 0.2, 0.2, DurationWindow.Histogram([0.004, 0.004, 0.2]));

        var markup = SvgCharts.Durations(times);
        var svg = XElement.Parse(markup);

        Assert.DoesNotContain("<script>", markup, StringComparison.Ordinal);
        Assert.StartsWith("Scan times of " + name, (string?)svg.Attribute("aria-label"), StringComparison.Ordinal);
        Assert.StartsWith("Scan times of " + name, svg.Element(Svg + "title")!.Value, StringComparison.Ordinal);
        Assert.Equal(DurationWindow.BucketBounds.Count + 1, svg.Elements(Svg + "g").Count());
        Assert.Equal(2, svg.Descendants(Svg + "rect").Count(r => (string?)r.Attribute("class") == "bar"));
        Assert.Contains("median 4 ms, 95th percentile 200 ms", (string?)svg.Attribute("aria-label"), StringComparison.Ordinal);
        AssertNoStyles(svg);
    }

    [Fact]
    public void CharactersXmlCannotCarryAreDropped()
    {
        var times = new EngineTimes("bad\u0001name\uD83D\uDE00", 0, 0, 0, 0, 0, new int[DurationWindow.BucketBounds.Count + 1]);

        var svg = XElement.Parse(SvgCharts.Durations(times));

        Assert.StartsWith("Scan times of badname\uD83D\uDE00 ", (string?)svg.Attribute("aria-label"), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0, 1)]
    [InlineData(1, 1)]
    [InlineData(2, 2)]
    [InlineData(3, 5)]
    [InlineData(6, 10)]
    [InlineData(11, 20)]
    [InlineData(47, 50)]
    [InlineData(501, 1000)]
    public void NiceCeilingRoundsUpToOneTwoOrFive(long value, long expected) =>
        Assert.Equal(expected, SvgCharts.NiceCeiling(value));

    [Fact]
    public void BucketLabelsNameTheirBounds()
    {
        Assert.Equal("≤ 1 ms", SvgCharts.BucketLabel(0));
        Assert.Equal("1 ms – 2 ms", SvgCharts.BucketLabel(1));
        Assert.Equal("> 30 s", SvgCharts.BucketLabel(DurationWindow.BucketBounds.Count));
    }

    private static void AssertNoStyles(XElement svg)
    {
        // The CSP (style-src 'self') drops style attributes and elements: looks must come from classes.
        Assert.Empty(svg.DescendantsAndSelf().Attributes("style"));
        Assert.Empty(svg.Descendants(Svg + "style"));
        Assert.Empty(svg.Descendants(Svg + "script"));
    }
}
