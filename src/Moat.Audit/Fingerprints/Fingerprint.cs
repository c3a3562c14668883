namespace Moat.Audit.Fingerprints;

/// <summary>What software answers, as far as the greeting, EHLO keywords and reply texts tell.</summary>
/// <param name="Product">e.g. "Postfix", "Exim", "Sendmail", "Microsoft Exchange", "OpenSMTPD", "Haraka", "aiosmtpd", "Postfix smtp-sink", "Moat"; "unknown" when nothing matched.</param>
/// <param name="Version">The version when the server gives it away, else null.</param>
/// <param name="Evidence">The lines or traits that led to the guess.</param>
public sealed record Fingerprint(string Product, string? Version, double Confidence, IReadOnlyList<string> Evidence)
{
    public static Fingerprint Unknown { get; } = new("unknown", null, 0, []);

    /// <summary>Every product that matched any trait, with its summed rule weights: shows how close the runner-up came.</summary>
    public IReadOnlyDictionary<string, double> Scores { get; init; } = new Dictionary<string, double>();
}
