using Moat.Scanning.Clamd;

namespace Moat.Scanning.Tests.Clamd;

public sealed class ClamdEndpointTests
{
    [Theory]
    [InlineData("127.0.0.1:3311", "127.0.0.1:3311")]
    [InlineData("clamd.example.test", "clamd.example.test:3310")]
    [InlineData("[::1]:3311", "[::1]:3311")]
    [InlineData("[::1]", "[::1]:3310")]
    [InlineData("unix:/run/clamav/clamd.ctl", "unix:/run/clamav/clamd.ctl")]
    [InlineData("/run/clamav/clamd.ctl", "unix:/run/clamav/clamd.ctl")]
    public void ParsesTheUsualForms(string text, string expected)
    {
        Assert.Equal(expected, ClamdEndpoint.Parse(text).ToString());
    }

    [Theory]
    [InlineData("")]
    [InlineData("host:")]
    [InlineData("host:99999")]
    [InlineData(":3310")]
    [InlineData("::1:3310")]
    [InlineData("unix:")]
    [InlineData("[::1")]
    public void RejectsNonsenseWithTheAcceptedForms(string text)
    {
        var error = Assert.Throws<FormatException>(() => ClamdEndpoint.Parse(text));

        Assert.Contains("host:port", error.Message);
    }
}
