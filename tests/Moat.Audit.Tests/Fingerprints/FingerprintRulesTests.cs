using System.Reflection;
using Moat.Audit.Fingerprints;

namespace Moat.Audit.Tests.Fingerprints;

public sealed class FingerprintRulesTests
{
    private static readonly string[] Products = typeof(ProductNames)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Select(f => (string)f.GetValue(null)!)
        .ToArray();

    [Fact]
    public void Every_pattern_compiles()
    {
        Assert.All(FingerprintRules.All, rule => Assert.NotNull(rule.Regex));
    }

    [Fact]
    public void Every_rule_names_a_known_product_with_a_sensible_weight_and_a_trait()
    {
        Assert.All(FingerprintRules.All, rule =>
        {
            Assert.Contains(rule.Product, Products);
            Assert.InRange(rule.Weight, 0.1, 2.0);
            Assert.False(string.IsNullOrWhiteSpace(rule.Trait));
        });
    }

    [Fact]
    public void Every_product_has_several_traits_and_none_twice()
    {
        foreach (var product in Products)
        {
            var rules = FingerprintRules.All.Where(r => r.Product == product).ToList();
            Assert.True(rules.Count >= 5, $"{product}: {rules.Count} rules");
            Assert.Equal(rules.Count, rules.Select(r => r.Trait).Distinct(StringComparer.Ordinal).Count());
        }
    }

    [Theory]
    [InlineData(ProductNames.Postfix)]
    [InlineData(ProductNames.Exim)]
    [InlineData(ProductNames.Sendmail)]
    [InlineData(ProductNames.Haraka)]
    [InlineData(ProductNames.Aiosmtpd)]
    [InlineData(ProductNames.MicrosoftExchange)]
    public void Products_that_leak_versions_have_a_rule_that_reads_it(string product)
    {
        Assert.Contains(FingerprintRules.All, r => r.Product == product && r.Regex.GetGroupNames().Contains("version"));
    }

    [Fact]
    public void Patterns_are_case_sensitive_so_ok_and_OK_differ()
    {
        var postfixRset = Assert.Single(FingerprintRules.All, r => r.Product == ProductNames.Postfix && r.Source == FingerprintSource.Rset);
        var moatRset = Assert.Single(FingerprintRules.All, r => r.Product == ProductNames.Moat && r.Source == FingerprintSource.Rset);

        Assert.Matches(postfixRset.Regex, "250 2.0.0 Ok");
        Assert.DoesNotMatch(postfixRset.Regex, "250 2.0.0 OK");
        Assert.Matches(moatRset.Regex, "250 2.0.0 OK");
        Assert.DoesNotMatch(moatRset.Regex, "250 2.0.0 Ok");
    }
}
