using Moat.Web.Dashboard;

namespace Moat.Web.Tests.Dashboard;

public sealed class DashboardFormatTests
{
    [Theory]
    [InlineData(0.0003, "0.3 ms")]
    [InlineData(0.0042, "4.2 ms")]
    [InlineData(0.2, "200 ms")]
    [InlineData(4.24, "4.2 s")]
    [InlineData(42, "42 s")]
    [InlineData(303, "5 min 3 s")]
    [InlineData(3 * 3600 + 12 * 60 + 5, "3 h 12 min")]
    [InlineData(4 * 86400 + 3 * 3600, "4 d 3 h")]
    [InlineData(-1, DashboardFormat.None)]
    [InlineData(double.NaN, DashboardFormat.None)]
    public void Durations(double seconds, string expected) => Assert.Equal(expected, DashboardFormat.Duration(seconds));

    [Theory]
    [InlineData(0, "0 B")]
    [InlineData(1023, "1023 B")]
    [InlineData(1536, "1.5 KiB")]
    [InlineData(20 * 1024 * 1024, "20 MiB")]
    [InlineData(3L * 1024 * 1024 * 1024, "3 GiB")]
    public void Bytes(long bytes, string expected) => Assert.Equal(expected, DashboardFormat.Bytes(bytes));

    [Fact]
    public void CountsGroupThousandsButPlainNumbersDoNot()
    {
        Assert.Equal("12,345", DashboardFormat.Count(12345));
        Assert.Equal("12345", DashboardFormat.Plain(12345));
        Assert.Equal(DashboardFormat.None, DashboardFormat.Duration((double?)null));
    }
}
