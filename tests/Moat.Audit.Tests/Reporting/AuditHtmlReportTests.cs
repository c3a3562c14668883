using System.Xml.Linq;
using Moat.Audit.Reporting;

namespace Moat.Audit.Tests.Reporting;

public sealed class AuditHtmlReportTests
{
    [Fact]
    public void Server_text_is_encoded_never_markup()
    {
        var html = AuditHtmlReport.Render(SampleResults.WithHostileBanner());

        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("&lt;script&gt;", html, StringComparison.Ordinal);
    }

    [Fact]
    public void The_page_is_self_contained()
    {
        var html = AuditHtmlReport.Render(SampleResults.WithHostileBanner());

        Assert.DoesNotContain("src=", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("href=", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("@import", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("url(", html, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("<style>", html, StringComparison.Ordinal);
    }

    [Fact]
    public void The_page_is_well_formed_and_says_what_was_scanned()
    {
        var html = AuditHtmlReport.Render(SampleResults.WithHostileBanner());

        // Well-formed as XML too (after the doctype, with void elements closed), so any parser reads it.
        var xml = XDocument.Parse(html.Replace("<!DOCTYPE html>", string.Empty, StringComparison.Ordinal)
            .Replace("<br>", "<br/>", StringComparison.Ordinal)
            .Replace("<meta charset=\"utf-8\">", "<meta charset=\"utf-8\"/>", StringComparison.Ordinal)
            .Replace("initial-scale=1\">", "initial-scale=1\"/>", StringComparison.Ordinal));
        var text = xml.Root!.Value;
        Assert.Contains("Scans only the targets given: domains example.org; networks 192.0.2.0/30; ports 25, 465, 587, 2525", text, StringComparison.Ordinal);
        Assert.Contains("at most 50 connection attempts per second, 32 connections at once", text, StringComparison.Ordinal);
        Assert.Equal(3, xml.Descendants("tr").Count(tr => tr.Descendants("span").Any(s => ((string?)s.Attribute("class"))?.StartsWith("sev", StringComparison.Ordinal) == true) && tr.Elements("td").Count() == 5));
    }
}
