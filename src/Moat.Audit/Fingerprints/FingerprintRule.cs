using System.Text.RegularExpressions;

namespace Moat.Audit.Fingerprints;

/// <summary>
/// One trait of one product: when <see cref="Pattern"/> matches a line of <see cref="Source"/>,
/// <see cref="Weight"/> counts for <see cref="Product"/>. A named group "version" in the pattern
/// reads the version when the server shows it.
/// </summary>
/// <param name="Trait">What the trait is, in words, for the evidence ("greeting names Postfix").</param>
/// <param name="Weight">How much the trait says: about 1.5 for a trait only this product has, 0.2 for one several share.</param>
public sealed record FingerprintRule(string Product, FingerprintSource Source, string Pattern, double Weight, string Trait)
{
    private Regex? _regex;

    /// <summary>Case-sensitive on purpose: "250 2.0.0 Ok" (Postfix) and "250 2.0.0 OK" (Moat) are different products.</summary>
    public Regex Regex => _regex ??= new Regex(Pattern, RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture, TimeSpan.FromSeconds(1));
}
