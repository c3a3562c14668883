using Moat.Audit.Probing;

namespace Moat.Audit.Tests.Probing.Support;

/// <summary>
/// With MOAT_AUDIT_CAPTURE_DIR set, the live prober tests write each real server's transcript
/// there, in the format of tests/Moat.Audit.Tests/Fingerprints/Data: how that data was captured.
/// </summary>
internal static class TranscriptCapture
{
    public static void Save(string name, string description, ListenerObservation observation)
    {
        var folder = Environment.GetEnvironmentVariable("MOAT_AUDIT_CAPTURE_DIR");
        if (string.IsNullOrEmpty(folder))
        {
            return;
        }

        Directory.CreateDirectory(folder);
        var header = $"# {description}\n# Captured by SmtpProber from the real server on {DateTime.UtcNow:yyyy-MM-dd}.\n";
        File.WriteAllText(Path.Combine(folder, name + ".txt"), header + string.Join('\n', observation.Transcript) + "\n");
    }
}
