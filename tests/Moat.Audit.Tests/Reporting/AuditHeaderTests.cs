using Moat.Audit.Reporting;

namespace Moat.Audit.Tests.Reporting;

public sealed class AuditHeaderTests
{
    [Fact]
    public void The_header_names_the_scope_the_limits_and_the_no_data_promise()
    {
        var lines = AuditHeader.Lines(SampleResults.WithHostileBanner());

        Assert.Equal("Scans only the targets given: domains example.org; networks 192.0.2.0/30; ports 25, 465, 587, 2525", lines[0]);
        Assert.Equal("Scanned 1 address on ports 25, 465, 587, 2525: 8 connection attempts, 1 open, 1 speaking SMTP.", lines[1]);
        Assert.Equal("Limits: at most 50 connection attempts per second, 32 connections at once. Relay probes stop after RCPT TO: no DATA, no mail sent.", lines[2]);
        Assert.Equal("DNS: 127.0.0.1:5353. Vulnerability data: 2026-11-28 (built-in).", lines[3]);
        Assert.Equal("Started 2026-11-28 12:00:00 UTC, finished 2026-11-28 12:00:02 UTC (2.5 s).", lines[4]);
    }
}
