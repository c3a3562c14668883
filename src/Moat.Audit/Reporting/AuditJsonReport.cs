using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using Moat.Audit.Discovery;
using Moat.Audit.Findings;
using Moat.Audit.Probing;

namespace Moat.Audit.Reporting;

/// <summary>
/// The audit as one JSON document. Field names are written out here, not taken from the types,
/// so renaming a property never changes the format tools read; "schemaVersion" changes only when
/// a field is removed or changes meaning.
/// </summary>
public static class AuditJsonReport
{
    public const int SchemaVersion = 1;

    public static async Task WriteAsync(string path, AuditResult result, CancellationToken cancellationToken)
    {
        await using var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 64 * 1024, useAsync: true);
        Write(file, result);
        await file.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    public static void Write(Stream output, AuditResult result)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(result);
        using var json = new Utf8JsonWriter(output, new JsonWriterOptions
        {
            Indented = true,

            // Server replies may contain any text; the document is never embedded in HTML, so
            // keep it readable rather than escaping every "<" and "+".
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        });
        json.WriteStartObject();
        json.WriteNumber("schemaVersion", SchemaVersion);
        json.WriteString("tool", "moat audit");
        json.WriteString("started", result.Started.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture));
        json.WriteString("finished", result.Finished.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture));
        json.WriteNumber("seconds", Math.Round((result.Finished - result.Started).TotalSeconds, 3));
        WriteScope(json, result);
        WriteSummary(json, result);
        json.WriteStartArray("findings");
        foreach (var finding in result.Findings)
        {
            WriteFinding(json, finding);
        }

        json.WriteEndArray();
        json.WriteStartArray("listeners");
        foreach (var listener in result.Listeners)
        {
            WriteListener(json, listener);
        }

        json.WriteEndArray();
        json.WriteStartArray("domains");
        foreach (var domain in result.Domains)
        {
            WriteDomain(json, domain);
        }

        json.WriteEndArray();
        Strings(json, "notes", result.Notes);
        json.WriteEndObject();
        json.Flush();
        output.Write("\n"u8);
    }

    private static void WriteScope(Utf8JsonWriter json, AuditResult result)
    {
        var scope = result.Scope;
        json.WriteStartObject("scope");
        json.WriteString("description", scope.ToString());
        Strings(json, "domains", scope.Domains);
        Strings(json, "hosts", scope.HostNames);
        Strings(json, "addresses", scope.Addresses.Select(a => a.ToString()));
        Strings(json, "networks", scope.Networks.Select(n => n.ToString()));
        json.WriteStartArray("ports");
        foreach (var port in result.Ports)
        {
            json.WriteNumberValue(port);
        }

        json.WriteEndArray();
        json.WriteNumber("rate", result.Rate);
        json.WriteNumber("concurrency", result.Concurrency);
        json.WriteBoolean("relayProbes", result.RelayProbes);
        json.WriteString("dnsServers", result.DnsServers);
        json.WriteStartArray("scanned");
        foreach (var address in result.Addresses)
        {
            json.WriteStartObject();
            json.WriteString("address", address.Address.ToString());
            json.WriteString("hostName", address.HostName);
            json.WriteString("source", address.Source);
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteStartObject("connections");
        json.WriteNumber("attempted", result.Scan.Attempted);
        json.WriteNumber("open", result.Scan.Open.Count);
        json.WriteNumber("refused", result.Scan.Refused);
        json.WriteNumber("timedOut", result.Scan.TimedOut);
        json.WriteNumber("unreachable", result.Scan.Unreachable);
        json.WriteEndObject();
        json.WriteStartObject("vulnerabilityData");
        json.WriteString("date", result.VulnerabilityDataDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        json.WriteString("origin", result.VulnerabilityDataOrigin);
        json.WriteEndObject();
        json.WriteEndObject();
    }

    private static void WriteSummary(Utf8JsonWriter json, AuditResult result)
    {
        json.WriteStartObject("summary");
        if (result.HighestSeverity is { } highest)
        {
            json.WriteString("highestSeverity", highest.Name());
        }
        else
        {
            json.WriteNull("highestSeverity");
        }

        json.WriteStartObject("counts");
        foreach (var severity in Enum.GetValues<Severity>().Reverse())
        {
            json.WriteNumber(severity.Name(), result.Count(severity));
        }

        json.WriteEndObject();
        json.WriteNumber("listeners", result.Listeners.Count(l => l.Observation.SpeaksSmtp));
        json.WriteEndObject();
    }

    private static void WriteFinding(Utf8JsonWriter json, Finding finding)
    {
        json.WriteStartObject();
        json.WriteString("severity", finding.Severity.Name());
        json.WriteString("id", finding.Id);
        json.WriteString("title", finding.Title);
        json.WriteString("target", finding.Target);
        Strings(json, "evidence", finding.Evidence);
        json.WriteString("fix", finding.Fix);
        json.WriteEndObject();
    }

    private static void WriteListener(Utf8JsonWriter json, AuditedListener listener)
    {
        var o = listener.Observation;
        json.WriteStartObject();
        json.WriteString("endpoint", o.Endpoint.ToString());
        json.WriteString("address", o.Endpoint.Address.ToString());
        json.WriteNumber("port", o.Endpoint.Port);
        json.WriteString("hostName", o.Endpoint.HostName);
        json.WriteBoolean("speaksSmtp", o.SpeaksSmtp);
        if (listener.InMx is { } inMx)
        {
            json.WriteBoolean("inMx", inMx);
        }
        else
        {
            json.WriteNull("inMx");
        }

        Strings(json, "mxHosts", listener.MxHosts);
        json.WriteStartObject("fingerprint");
        json.WriteString("product", o.Fingerprint.Product);
        json.WriteString("version", o.Fingerprint.Version);
        json.WriteNumber("confidence", Math.Round(o.Fingerprint.Confidence, 3));
        Strings(json, "evidence", o.Fingerprint.Evidence);
        json.WriteEndObject();
        Strings(json, "greeting", o.Greeting);
        Strings(json, "ehlo", o.Ehlo);
        Strings(json, "ehloAfterTls", o.EhloAfterTls);
        json.WriteBoolean("implicitTls", o.ImplicitTls);
        json.WriteBoolean("startTlsOffered", o.StartTlsOffered);
        WriteTls(json, o.Tls);
        Strings(json, "authBeforeTls", o.AuthBeforeTls);
        Map(json, "userEnumeration", o.UserEnumeration);
        Map(json, "replies", o.Replies);
        json.WriteStartArray("relayProbes");
        foreach (var probe in o.RelayProbes)
        {
            WriteRelayProbe(json, probe);
        }

        json.WriteEndArray();
        json.WriteStartArray("advisories");
        foreach (var match in listener.Advisories)
        {
            json.WriteStartObject();
            json.WriteString("id", match.Advisory.Id);
            json.WriteString("severity", match.Advisory.Severity.Name());
            json.WriteString("summary", match.Advisory.Summary);
            json.WriteString("fixedVersion", match.FixedVersion);
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteString("error", o.Error);
        json.WriteEndObject();
    }

    private static void WriteTls(Utf8JsonWriter json, TlsObservation? tls)
    {
        if (tls is null)
        {
            json.WriteNull("tls");
            return;
        }

        json.WriteStartObject("tls");
        json.WriteBoolean("succeeded", tls.Succeeded);
        json.WriteString("protocol", tls.Protocol);
        json.WriteString("subject", tls.CertificateSubject);
        Strings(json, "names", tls.CertificateNames);
        json.WriteString("notBefore", tls.NotBefore?.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture));
        json.WriteString("notAfter", tls.NotAfter?.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture));
        json.WriteBoolean("selfSigned", tls.SelfSigned);
        json.WriteBoolean("chainTrusted", tls.ChainTrusted);
        json.WriteBoolean("nameMatches", tls.NameMatches);
        Strings(json, "legacyProtocolsAccepted", tls.LegacyProtocolsAccepted);
        json.WriteString("error", tls.Error);
        json.WriteEndObject();
    }

    private static void WriteRelayProbe(Utf8JsonWriter json, RelayProbeResult probe)
    {
        json.WriteStartObject();
        json.WriteString("trick", probe.Trick);
        json.WriteString("mailFrom", probe.MailFrom);
        json.WriteString("rcptTo", probe.RcptTo);
        Strings(json, "replies", probe.Replies);
        json.WriteBoolean("accepted", probe.Accepted);
        json.WriteEndObject();
    }

    private static void WriteDomain(Utf8JsonWriter json, DomainReport domain)
    {
        json.WriteStartObject();
        json.WriteString("domain", domain.Domain);
        json.WriteBoolean("exists", !domain.DoesNotExist);
        json.WriteBoolean("nullMx", domain.HasNullMx);
        json.WriteBoolean("implicitMx", domain.UsesImplicitMx);
        json.WriteStartArray("mx");
        foreach (var mx in domain.MailExchangers)
        {
            json.WriteStartObject();
            json.WriteNumber("preference", mx.Preference);
            json.WriteString("host", mx.HostName);
            Strings(json, "addresses", mx.Addresses.Select(a => a.ToString()));
            json.WriteEndObject();
        }

        json.WriteEndArray();
        Strings(json, "addresses", domain.Addresses.Select(a => a.ToString()));
        Strings(json, "spf", domain.SpfRecords);
        Strings(json, "dmarc", domain.DmarcRecords);
        json.WriteString("dmarcPolicy", domain.DmarcPolicy);
        Strings(json, "mtaSts", domain.MtaStsRecords);
        Strings(json, "tlsRpt", domain.TlsRptRecords);
        Strings(json, "records", domain.Records);
        Strings(json, "notes", domain.Notes);
        Strings(json, "failures", domain.Failures.Select(f => f.Message));
        json.WriteEndObject();
    }

    private static void Strings(Utf8JsonWriter json, string name, IEnumerable<string> values)
    {
        json.WriteStartArray(name);
        foreach (var value in values)
        {
            json.WriteStringValue(value);
        }

        json.WriteEndArray();
    }

    private static void Map(Utf8JsonWriter json, string name, IReadOnlyDictionary<string, string> values)
    {
        json.WriteStartObject(name);
        foreach (var (key, value) in values)
        {
            json.WriteString(key, value);
        }

        json.WriteEndObject();
    }
}
