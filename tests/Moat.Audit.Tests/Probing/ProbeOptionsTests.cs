using Moat.Audit.Probing;

namespace Moat.Audit.Tests.Probing;

public sealed class ProbeOptionsTests
{
    [Fact]
    public void Defaults_are_valid_and_as_documented()
    {
        var options = new ProbeOptions();

        options.Validate();
        Assert.Equal("audit.invalid", options.HeloName);
        Assert.Equal("relay-test.invalid", options.ExternalDomain);
        Assert.Equal(["postmaster", "root", "admin"], options.ProbeUsers);
        Assert.Equal(TimeSpan.FromSeconds(10), options.ConnectTimeout);
        Assert.Equal(TimeSpan.FromSeconds(30), options.ReplyTimeout);
        Assert.Equal(TimeSpan.FromSeconds(120), options.ListenerTimeout);
        Assert.True(options.RunRelayProbes);
        Assert.Contains(465, options.ImplicitTlsPorts);
    }

    [Theory]
    [InlineData("relay-test.invalid")]
    [InlineData("relay.test")]
    [InlineData("victims.example")]
    [InlineData("example.com")]
    [InlineData("relay.example.net")]
    [InlineData("RELAY-TEST.INVALID.")]
    public void Reserved_external_domains_are_accepted(string domain)
    {
        new ProbeOptions { ExternalDomain = domain }.Validate();
    }

    [Theory]
    [InlineData("gmail.com")]
    [InlineData("example.com.evil.org")]
    [InlineData("notexample.com")]
    [InlineData("invalid.org")]
    public void A_deliverable_external_domain_is_refused(string domain)
    {
        var error = Assert.Throws<ArgumentException>(() => new ProbeOptions { ExternalDomain = domain }.Validate());

        Assert.Contains("reserved", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Infinite_or_zero_timeouts_and_odd_names_are_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new ProbeOptions { ReplyTimeout = Timeout.InfiniteTimeSpan }.Validate());
        Assert.Throws<ArgumentOutOfRangeException>(() => new ProbeOptions { ListenerTimeout = TimeSpan.Zero }.Validate());
        Assert.Throws<ArgumentException>(() => new ProbeOptions { HeloName = "two words" }.Validate());
        Assert.Throws<ArgumentException>(() => new ProbeOptions { ProbeUsers = ["root\r\nDATA"] }.Validate());
    }
}
