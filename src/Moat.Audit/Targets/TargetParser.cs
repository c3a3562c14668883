using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Moat.Audit.Targets;

/// <summary>
/// Turns what the operator typed (--domain, --hosts, a targets file) into an <see cref="AuditScope"/>,
/// or into a list of errors that say exactly which entry is wrong and why.
/// </summary>
/// <remarks>
/// The file has one target per line; "#" starts a comment. "domain:example.org" names a mail
/// domain, "host:..." or a bare entry an address, CIDR network or host name, and "port:2526" an
/// extra port. Command-line values may list several entries separated by commas or spaces.
/// </remarks>
public static class TargetParser
{
    /// <summary>
    /// The largest networks taken without an explicit --max-addresses: a /16 of IPv4 and the same
    /// 65,536 addresses of IPv6. An audit is of the operator's own hosts, not the Internet.
    /// </summary>
    public const int MaxIpv4PrefixWithoutOverride = 16;

    public const int MaxIpv6PrefixWithoutOverride = 112;

    private static readonly char[] Separators = [',', ' ', '\t', ';'];

    public static TargetParseResult Parse(IEnumerable<string> domains, IEnumerable<string> hosts, string? file, TargetParserOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(domains);
        ArgumentNullException.ThrowIfNull(hosts);
        options ??= new TargetParserOptions();
        var builder = new Builder();
        foreach (var value in domains)
        {
            foreach (var entry in Split(value))
            {
                builder.AddDomain(entry, where: null);
            }
        }

        foreach (var value in hosts)
        {
            foreach (var entry in Split(value))
            {
                builder.AddHost(entry, where: null);
            }
        }

        foreach (var port in options.ExtraPorts)
        {
            builder.AddPort(port.ToString(CultureInfo.InvariantCulture), where: null);
        }

        if (file is not null)
        {
            ReadFile(file, builder);
        }

        return builder.Build(options.MaxAddresses);
    }

    private static void ReadFile(string file, Builder builder)
    {
        string[] lines;
        try
        {
            lines = File.ReadAllLines(file);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            builder.Errors.Add($"cannot read the targets file {file}: {ex.Message}");
            return;
        }

        for (var i = 0; i < lines.Length; i++)
        {
            var where = $"{file}:{i + 1}: ";
            var line = lines[i];
            var hash = line.IndexOf('#');
            if (hash >= 0)
            {
                line = line[..hash];
            }

            var entries = Split(line).ToList();
            for (var e = 0; e < entries.Count; e++)
            {
                var entry = entries[e];
                var colon = entry.IndexOf(':');
                var keyword = colon > 0 ? entry[..colon].ToLowerInvariant() : null;
                var rest = colon > 0 ? entry[(colon + 1)..] : entry;

                // "domain: example.org": the value is the next word.
                if (keyword is "domain" or "host" or "port" && rest.Length == 0 && e + 1 < entries.Count)
                {
                    rest = entries[++e];
                }

                switch (keyword)
                {
                    case "domain":
                        builder.AddDomain(rest, where);
                        break;
                    case "host":
                        builder.AddHost(rest, where);
                        break;
                    case "port":
                        builder.AddPort(rest, where);
                        break;
                    default:
                        // Not a keyword: a bare entry, which may itself contain colons (IPv6).
                        builder.AddHost(entry, where);
                        break;
                }
            }
        }
    }

    private static IEnumerable<string> Split(string? value) =>
        (value ?? string.Empty).Split(Separators, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private sealed class Builder
    {
        public List<string> Errors { get; } = [];

        private readonly List<string> domains = [];
        private readonly List<string> hostNames = [];
        private readonly List<IPAddress> addresses = [];
        private readonly List<CidrNetwork> networks = [];
        private readonly List<int> ports = [];

        public void AddDomain(string entry, string? where)
        {
            if (entry.Contains('/') || TargetAddress.TryParse(entry, out _))
            {
                Errors.Add($"{where}'{entry}' is an address, not a mail domain (give it as a host)");
                return;
            }

            if (!TargetName.TryNormalize(entry, out var name, out var error))
            {
                Errors.Add(where + (error ?? $"'{entry}' is not a valid domain name"));
                return;
            }

            AddOnce(domains, name);
        }

        public void AddHost(string entry, string? where)
        {
            if (entry.Contains('/'))
            {
                if (CidrNetwork.TryParse(entry, out var network, out var cidrError))
                {
                    AddOnce(networks, network);
                }
                else
                {
                    Errors.Add(where + (cidrError ?? NotATarget(entry)));
                }

                return;
            }

            if (TargetAddress.TryParse(entry, out var address))
            {
                AddOnce(addresses, address);
                return;
            }

            if (TargetAddress.LooksLikeIpv4(entry) || entry.Contains(':'))
            {
                Errors.Add(where + NotATarget(entry));
                return;
            }

            if (!TargetName.TryNormalize(entry, out var name, out var error))
            {
                Errors.Add(where + (error ?? NotATarget(entry)));
                return;
            }

            AddOnce(hostNames, name);
        }

        public void AddPort(string entry, string? where)
        {
            if (entry.Length is 0 or > 5 || entry.AsSpan().ContainsAnyExcept("0123456789")
                || int.Parse(entry, CultureInfo.InvariantCulture) is < 1 or > 65535)
            {
                Errors.Add($"{where}'{entry}' is not a TCP port (1-65535)");
                return;
            }

            AddOnce(ports, int.Parse(entry, CultureInfo.InvariantCulture));
        }

        public TargetParseResult Build(int? explicitMax)
        {
            var max = explicitMax ?? AuditScope.DefaultMaxAddresses;
            if (explicitMax is < 1 or > AuditScope.MaxAddressesCeiling)
            {
                Errors.Add($"--max-addresses must be between 1 and {AuditScope.MaxAddressesCeiling}, not {explicitMax}");
            }

            // CIDR networks either nest or do not overlap: keep the outermost, and drop addresses
            // they already cover, so nothing is counted or scanned twice.
            var outer = networks.Where(n => !networks.Any(o => !ReferenceEquals(o, n) && o.PrefixLength < n.PrefixLength && o.Contains(n.Prefix))).ToList();
            var loose = addresses.Where(a => !outer.Any(n => n.Contains(a))).ToList();

            foreach (var network in outer)
            {
                var large = network.AddressFamily == AddressFamily.InterNetwork
                    ? network.PrefixLength < MaxIpv4PrefixWithoutOverride
                    : network.PrefixLength < MaxIpv6PrefixWithoutOverride;
                if (large && (explicitMax is null || network.AddressCount > explicitMax.Value))
                {
                    var limit = network.AddressFamily == AddressFamily.InterNetwork ? MaxIpv4PrefixWithoutOverride : MaxIpv6PrefixWithoutOverride;
                    Errors.Add(
                        $"'{network}' is larger than /{limit} ({network.AddressCount} addresses): an audit is of your own hosts, "
                        + "not the Internet; give the networks your mail hosts are in, or pass --max-addresses to allow this many");
                }
            }

            var scope = new AuditScope
            {
                Domains = domains,
                HostNames = hostNames,
                Addresses = loose,
                Networks = outer,
                ExtraPorts = ports,
                MaxAddresses = max,
            };

            if (scope.IsEmpty && Errors.Count == 0)
            {
                Errors.Add("no targets: give --domain, --hosts or a targets file");
            }

            var total = loose.Count + outer.Aggregate(System.Numerics.BigInteger.Zero, (sum, n) => sum + n.AddressCount);
            if (total > max && !Errors.Any(e => e.Contains("is larger than", StringComparison.Ordinal)))
            {
                Errors.Add(
                    $"the targets cover {total} addresses, more than the limit of {max}; "
                    + $"narrow them, or pass --max-addresses {total} if they are all yours");
            }

            return Errors.Count > 0 ? new TargetParseResult(null, Errors) : new TargetParseResult(scope, []);
        }

        private static string NotATarget(string entry) => $"'{entry}' is not an address, host name or CIDR network";

        private static void AddOnce<T>(List<T> list, T item)
        {
            if (!list.Contains(item))
            {
                list.Add(item);
            }
        }
    }
}
