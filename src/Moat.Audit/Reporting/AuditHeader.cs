using System.Globalization;

namespace Moat.Audit.Reporting;

/// <summary>
/// The sentences every report opens with: exactly what was scanned, how gently, and when. An
/// audit report is shown to people who did not run it; they must see it touched only what it was
/// told to.
/// </summary>
public static class AuditHeader
{
    public static IReadOnlyList<string> Lines(AuditResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var lines = new List<string>
        {
            "Scans only the targets given: " + result.Scope,
            $"Scanned {result.Addresses.Count} address{(result.Addresses.Count == 1 ? string.Empty : "es")} on ports {string.Join(", ", result.Ports)}: "
                + $"{result.Scan.Attempted} connection attempts, {result.Scan.Open.Count} open, {result.Listeners.Count(l => l.Observation.SpeaksSmtp)} speaking SMTP.",
            $"Limits: at most {Number(result.Rate)} connection attempts per second, {result.Concurrency} connections at once. "
                + (result.RelayProbes ? "Relay probes stop after RCPT TO: no DATA, no mail sent." : "Relay probes were not run (--no-relay-probes)."),
            $"DNS: {result.DnsServers}. Vulnerability data: {result.VulnerabilityDataDate:yyyy-MM-dd} ({result.VulnerabilityDataOrigin}).",
            $"Started {Time(result.Started)}, finished {Time(result.Finished)} ({(result.Finished - result.Started).TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture)} s).",
        };
        return lines;
    }

    public static string Time(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) + " UTC";

    private static string Number(double value) => value.ToString("0.##", CultureInfo.InvariantCulture);
}
