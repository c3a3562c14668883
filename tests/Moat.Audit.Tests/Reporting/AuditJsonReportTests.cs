using System.Text.Json;
using Moat.Audit.Reporting;

namespace Moat.Audit.Tests.Reporting;

public sealed class AuditJsonReportTests
{
    [Fact]
    public void The_document_has_the_stable_fields_and_the_exact_evidence()
    {
        using var stream = new MemoryStream();
        AuditJsonReport.Write(stream, SampleResults.WithHostileBanner());

        using var document = JsonDocument.Parse(stream.ToArray());
        var root = document.RootElement;
        Assert.Equal(1, root.GetProperty("schemaVersion").GetInt32());
        Assert.Equal("2026-11-28T12:00:00.0000000+00:00", root.GetProperty("started").GetString());
        Assert.Equal(2.5, root.GetProperty("seconds").GetDouble());

        var scope = root.GetProperty("scope");
        Assert.Equal(["example.org"], scope.GetProperty("domains").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(["192.0.2.0/30"], scope.GetProperty("networks").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(50, scope.GetProperty("rate").GetDouble());
        Assert.Equal(32, scope.GetProperty("concurrency").GetInt32());
        Assert.Equal(8, scope.GetProperty("connections").GetProperty("attempted").GetInt32());
        Assert.Equal("2026-11-28", scope.GetProperty("vulnerabilityData").GetProperty("date").GetString());

        var summary = root.GetProperty("summary");
        Assert.Equal("critical", summary.GetProperty("highestSeverity").GetString());
        Assert.Equal(1, summary.GetProperty("counts").GetProperty("medium").GetInt32());
        Assert.Equal(0, summary.GetProperty("counts").GetProperty("high").GetInt32());

        var findings = root.GetProperty("findings").EnumerateArray().ToArray();
        Assert.Equal(["critical", "medium", "low"], findings.Select(f => f.GetProperty("severity").GetString()));
        Assert.Equal("S: " + SampleResults.HostileBanner, findings[1].GetProperty("evidence")[0].GetString());
        Assert.Equal(["severity", "id", "title", "target", "evidence", "fix"], findings[0].EnumerateObject().Select(p => p.Name));

        var listener = root.GetProperty("listeners")[0];
        Assert.Equal("192.0.2.1:25", listener.GetProperty("endpoint").GetString());
        Assert.True(listener.GetProperty("inMx").GetBoolean());
        Assert.Equal("Postfix", listener.GetProperty("fingerprint").GetProperty("product").GetString());
        Assert.Equal(SampleResults.HostileBanner, listener.GetProperty("greeting")[0].GetString());
        Assert.True(listener.GetProperty("relayProbes")[0].GetProperty("accepted").GetBoolean());
        Assert.Equal(JsonValueKind.Null, listener.GetProperty("tls").ValueKind);

        Assert.Equal("example.org", root.GetProperty("domains")[0].GetProperty("domain").GetString());
    }
}
