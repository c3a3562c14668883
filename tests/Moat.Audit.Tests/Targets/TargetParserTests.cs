using System.Net;
using Moat.Audit.Targets;
using Moat.Testing;

namespace Moat.Audit.Tests.Targets;

public sealed class TargetParserTests
{
    private static TargetParseResult Hosts(params string[] hosts) => TargetParser.Parse([], hosts, null);

    private static AuditScope Scope(TargetParseResult result)
    {
        Assert.True(result.Succeeded, string.Join(Environment.NewLine, result.Errors));
        return result.Scope;
    }

    [Fact]
    public void Domains_host_names_addresses_and_networks_are_sorted_into_the_scope()
    {
        var scope = Scope(TargetParser.Parse(
            ["example.org"],
            ["192.0.2.0/28,mail2.example.org", "198.51.100.7 2001:db8::25", "[2001:db8::26]"],
            null));

        Assert.Equal(["example.org"], scope.Domains);
        Assert.Equal(["mail2.example.org"], scope.HostNames);
        Assert.Equal([IPAddress.Parse("198.51.100.7"), IPAddress.Parse("2001:db8::25"), IPAddress.Parse("2001:db8::26")], scope.Addresses);
        Assert.Equal("192.0.2.0/28", Assert.Single(scope.Networks).ToString());
        Assert.Equal([25, 465, 587, 2525], scope.Ports);
        Assert.Equal(AuditScope.DefaultMaxAddresses, scope.MaxAddresses);
        Assert.Equal(3 + 14, scope.LiteralAddressCount);
    }

    [Fact]
    public void Names_are_lower_case_without_the_trailing_dot_and_idns_become_punycode()
    {
        var scope = Scope(TargetParser.Parse(["Example.ORG.", "Bücher.Example"], ["MAIL.Example.org.", "mail.example.org"], null));

        Assert.Equal(["example.org", "xn--bcher-kva.example"], scope.Domains);
        Assert.Equal(["mail.example.org"], scope.HostNames);
    }

    [Theory]
    [InlineData("300.1.2.3")]
    [InlineData("1.2.3")]
    [InlineData("192.0.2.1.5")]
    [InlineData("2001:db8::zz")]
    [InlineData("fe80::1%eth0")]
    [InlineData("mail_server.example.org")]
    [InlineData("-mail.example.org")]
    [InlineData("192.0.2.0/33")]
    [InlineData("192.0.2.0/x")]
    [InlineData("mail.example.123")]
    public void Entries_that_are_nothing_are_refused_with_the_entry_named(string entry)
    {
        var result = Hosts(entry);

        Assert.False(result.Succeeded);
        Assert.Equal([$"'{entry}' is not an address, host name or CIDR network"], result.Errors);
    }

    [Fact]
    public void A_network_with_host_bits_set_is_refused_with_the_network_it_would_be()
    {
        var result = Hosts("192.0.2.5/28");

        Assert.Equal(["'192.0.2.5/28' has host bits set: the network is 192.0.2.0/28"], result.Errors);
    }

    [Fact]
    public void A_single_label_is_refused_as_not_fully_qualified()
    {
        var result = Hosts("mailhost");

        Assert.Equal(["'mailhost' is not a fully-qualified name (write e.g. mailhost.example.org)"], result.Errors);
    }

    [Fact]
    public void An_address_given_as_a_domain_is_refused()
    {
        var result = TargetParser.Parse(["192.0.2.1", "192.0.2.0/24"], [], null);

        Assert.Equal(
            [
                "'192.0.2.1' is an address, not a mail domain (give it as a host)",
                "'192.0.2.0/24' is an address, not a mail domain (give it as a host)",
            ],
            result.Errors);
    }

    [Fact]
    public void Every_error_is_reported_at_once()
    {
        var result = TargetParser.Parse(["bad_domain.example"], ["300.1.2.3", "mail.example.org", "1.2.3.4/40"], null);

        Assert.Null(result.Scope);
        Assert.Equal(3, result.Errors.Count);
    }

    [Fact]
    public void No_targets_at_all_is_an_error()
    {
        var result = TargetParser.Parse([], [" , "], null);

        Assert.Equal(["no targets: give --domain, --hosts or a targets file"], result.Errors);
    }

    [Fact]
    public void An_ipv4_network_larger_than_a_slash_16_is_refused_by_default()
    {
        var result = Hosts("10.0.0.0/8");

        var error = Assert.Single(result.Errors);
        Assert.StartsWith("'10.0.0.0/8' is larger than /16 (16777214 addresses): an audit is of your own hosts, not the Internet", error);
        Assert.Contains("--max-addresses", error);
    }

    [Fact]
    public void An_ipv6_network_larger_than_a_slash_112_is_refused_by_default()
    {
        var result = Hosts("2001:db8::/64");

        Assert.StartsWith("'2001:db8::/64' is larger than /112", Assert.Single(result.Errors));
    }

    [Fact]
    public void An_explicit_max_addresses_lets_a_large_network_in_when_it_fits()
    {
        var allowed = TargetParser.Parse([], ["10.0.0.0/15"], null, new TargetParserOptions { MaxAddresses = 200_000 });
        var tooSmall = TargetParser.Parse([], ["10.0.0.0/15"], null, new TargetParserOptions { MaxAddresses = 100_000 });

        Assert.Equal(200_000, Scope(allowed).MaxAddresses);
        Assert.Equal(131_070, Scope(allowed).LiteralAddressCount);
        Assert.StartsWith("'10.0.0.0/15' is larger than /16", Assert.Single(tooSmall.Errors));
    }

    [Fact]
    public void The_total_is_bounded_by_4096_addresses_unless_raised()
    {
        var fits = Hosts("10.1.0.0/20");
        var tooMany = Hosts("192.0.0.0/19", "198.51.100.1");
        var raised = TargetParser.Parse([], ["192.0.0.0/19", "198.51.100.1"], null, new TargetParserOptions { MaxAddresses = 8191 });

        Assert.Equal(4094, Scope(fits).LiteralAddressCount);
        Assert.Equal(
            ["the targets cover 8191 addresses, more than the limit of 4096; narrow them, or pass --max-addresses 8191 if they are all yours"],
            tooMany.Errors);
        Assert.Equal(8191, Scope(raised).LiteralAddressCount);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(AuditScope.MaxAddressesCeiling + 1)]
    public void Max_addresses_has_bounds_of_its_own(int max)
    {
        var result = TargetParser.Parse([], ["192.0.2.1"], null, new TargetParserOptions { MaxAddresses = max });

        Assert.Contains($"--max-addresses must be between 1 and {AuditScope.MaxAddressesCeiling}, not {max}", result.Errors);
    }

    [Fact]
    public void Nested_networks_and_covered_addresses_are_kept_once()
    {
        var scope = Scope(Hosts("192.0.2.16/28", "192.0.2.0/24", "192.0.2.5", "192.0.2.0/24", "198.51.100.1"));

        Assert.Equal("192.0.2.0/24", Assert.Single(scope.Networks).ToString());
        Assert.Equal([IPAddress.Parse("198.51.100.1")], scope.Addresses);
        Assert.Equal(255, scope.LiteralAddressCount);
    }

    [Fact]
    public void Extra_ports_are_added_to_the_defaults_and_checked()
    {
        var scope = Scope(TargetParser.Parse([], ["192.0.2.1"], null, new TargetParserOptions { ExtraPorts = [2526, 25] }));
        var bad = TargetParser.Parse([], ["192.0.2.1"], null, new TargetParserOptions { ExtraPorts = [0, 70000] });

        Assert.Equal([25, 465, 587, 2525, 2526], scope.Ports);
        Assert.Equal(["'0' is not a TCP port (1-65535)", "'70000' is not a TCP port (1-65535)"], bad.Errors);
    }

    [Fact]
    public void A_targets_file_has_one_entry_per_line_with_comments_and_keywords()
    {
        using var folder = new TempFolder();
        var file = folder.Combine("targets.txt");
        File.WriteAllText(file, """
            # our mail infrastructure
            domain:Example.org
            domain: example.net   # spaces after the keyword are fine
            mail.example.org
            host:mx2.example.org
            192.0.2.0/29          # DMZ
            2001:db8::25
            port:2526

            """);

        var scope = Scope(TargetParser.Parse([], [], file));

        Assert.Equal(["example.org", "example.net"], scope.Domains);
        Assert.Equal(["mail.example.org", "mx2.example.org"], scope.HostNames);
        Assert.Equal("192.0.2.0/29", Assert.Single(scope.Networks).ToString());
        Assert.Equal([IPAddress.Parse("2001:db8::25")], scope.Addresses);
        Assert.Equal([2526], scope.ExtraPorts);
    }

    [Fact]
    public void Errors_in_a_targets_file_name_the_file_and_line()
    {
        using var folder = new TempFolder();
        var file = folder.Combine("targets.txt");
        File.WriteAllText(file, "# header\nmail.example.org\n300.1.2.3\ndomain:192.0.2.1\nport:99999\n");

        var result = TargetParser.Parse([], [], file);

        Assert.Equal(
            [
                $"{file}:3: '300.1.2.3' is not an address, host name or CIDR network",
                $"{file}:4: '192.0.2.1' is an address, not a mail domain (give it as a host)",
                $"{file}:5: '99999' is not a TCP port (1-65535)",
            ],
            result.Errors);
    }

    [Fact]
    public void A_missing_targets_file_is_an_error_not_an_exception()
    {
        using var folder = new TempFolder();
        var file = folder.Combine("absent.txt");

        var result = TargetParser.Parse([], ["192.0.2.1"], file);

        Assert.StartsWith($"cannot read the targets file {file}:", Assert.Single(result.Errors));
    }

    [Fact]
    public void The_scope_describes_itself_for_the_report()
    {
        var scope = Scope(TargetParser.Parse(["example.org"], ["mail.example.org", "192.0.2.0/30"], null));

        Assert.Equal("domains example.org; hosts mail.example.org; networks 192.0.2.0/30; ports 25, 465, 587, 2525", scope.ToString());
    }
}
