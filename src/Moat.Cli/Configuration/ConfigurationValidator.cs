using System.Net;
using Moat.Cli.Hosting;

namespace Moat.Cli.Configuration;

/// <summary>Checks a bound configuration and says, for each problem, the key and the fix.</summary>
public static class ConfigurationValidator
{
    private static readonly string[] Roles = ["inbound", "submission"];
    private static readonly string[] Transports = ["smtp", "mx", "maildir"];
    private static readonly string[] TlsModes = ["none", "opportunistic", "required"];

    public static IReadOnlyList<ConfigurationError> Validate(MoatOptions options)
    {
        var errors = new List<ConfigurationError>();
        void Error(string key, string problem, string fix) => errors.Add(new(key, problem, fix));

        if (string.IsNullOrWhiteSpace(options.HostName) || !IsDomainName(options.HostName))
        {
            Error("hostName", $"'{options.HostName}' is not a host name.", "write the fully qualified name of this gateway, e.g. \"mx1.example.com\".");
        }

        if (string.IsNullOrWhiteSpace(options.DataDirectory))
        {
            Error("dataDirectory", "is empty.", "give a folder Moat may write to, e.g. \"/var/lib/moat\".");
        }

        ValidateSmtp(options.Smtp, Error);
        ValidateListeners(options, Error);
        ValidateTls(options.Tls, Error);
        ValidateRelay(options.Relay, Error);
        ValidatePipeline(options, Error);
        ValidateDelivery(options.Delivery, Error);
        ValidateAntivirus(options.Antivirus, Error);
        ValidateTrust(options, Error);
        ValidateAccounts(options.Accounts, Error);

        ValidateWeb(options.Web, Error);
        ValidatePrivacy(options.Privacy, Error);

        return errors;
    }

    private static void ValidateWeb(WebOptions web, Action<string, string, string> error)
    {
        if (!web.Enabled)
        {
            return;
        }

        if (!(IPEndPoint.TryParse(web.Listen, out var endPoint) && endPoint.Port != 0))
        {
            error("web.listen", $"'{web.Listen}' is not an address:port.", "write e.g. \"127.0.0.1:8025\", or set web.enabled to false.");
        }
        else if (!IPAddress.IsLoopback(endPoint.Address) && !web.Https)
        {
            error("web.https", $"the web listener {web.Listen} is reachable from the network, so logins would cross it in clear.", "set web.https to true (it uses tls.certificate), or listen on 127.0.0.1 behind a TLS proxy.");
        }

        if (web.PublicUrl is { } url && !(Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"))
        {
            error("web.publicUrl", $"'{url}' is not an http or https URL.", "write e.g. \"https://mail.example.org:8025\".");
        }

        if (web.SessionIdleTimeout <= TimeSpan.Zero)
        {
            error("web.sessionIdleTimeout", "must be positive.", "the default is \"01:00:00\" (one hour).");
        }

        if (web.ReleaseLinkLifetime <= TimeSpan.Zero)
        {
            error("web.releaseLinkLifetime", "must be positive.", "the default is \"7.00:00:00\" (seven days).");
        }
    }

    private static void ValidatePrivacy(PrivacyOptions privacy, Action<string, string, string> error)
    {
        if (privacy.HeldMailRetention <= TimeSpan.Zero)
        {
            error("privacy.heldMailRetention", "must be positive.", "the default is \"30.00:00:00\" (30 days).");
        }

        if (privacy.AccessLogRetention <= TimeSpan.Zero)
        {
            error("privacy.accessLogRetention", "must be positive.", "the default is \"730.00:00:00\" (two years).");
        }

        if (privacy.NoticeFile is { } notice && !File.Exists(notice))
        {
            error("privacy.noticeFile", $"{notice} does not exist.", "write the operator's notice into that file, or leave the key out.");
        }
    }

    private static void ValidateSmtp(SmtpOptions smtp, Action<string, string, string> error)
    {
        if (smtp.MaxMessageSize < 1024)
        {
            error("smtp.maxMessageSize", $"{smtp.MaxMessageSize} bytes is too small.", "give the largest message size in bytes, e.g. 52428800 for 50 MiB.");
        }

        if (smtp.MaxRecipients < 1)
        {
            error("smtp.maxRecipients", "must be at least 1.", "RFC 5321 asks for at least 100; the default is 100.");
        }

        if (smtp.MaxErrors < 1)
        {
            error("smtp.maxErrors", "must be at least 1.", "the default is 10.");
        }

        if (smtp.MaxConnections < 1 || smtp.MaxConnectionsPerClient < 1)
        {
            error("smtp.maxConnections", "maxConnections and maxConnectionsPerClient must be at least 1.", "the defaults are 1000 and 20.");
        }

        if (smtp.MaxCommandLineLength < 512)
        {
            error("smtp.maxCommandLineLength", "must be at least 512 (RFC 5321 §4.5.3.1.4).", "the default is 2048.");
        }

        if (smtp.CommandTimeout <= TimeSpan.Zero || smtp.DataBlockTimeout <= TimeSpan.Zero)
        {
            error("smtp.commandTimeout", "commandTimeout and dataBlockTimeout must be positive.", "write a time span such as \"00:05:00\".");
        }
    }

    private static void ValidateListeners(MoatOptions options, Action<string, string, string> error)
    {
        var listeners = options.Listeners ?? [];
        if (listeners.Count == 0)
        {
            error("listeners", "no listener is configured.", "add at least one, e.g. { \"name\": \"inbound\", \"address\": \"0.0.0.0\", \"port\": 25, \"role\": \"inbound\" }.");
        }

        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var endPoints = new HashSet<string>();
        for (var i = 0; i < listeners.Count; i++)
        {
            var listener = listeners[i];
            var key = $"listeners[{i}]";
            if (string.IsNullOrWhiteSpace(listener.Name) || !names.Add(listener.Name))
            {
                error(key + ".name", $"'{listener.Name}' is empty or used twice.", "give each listener its own name, e.g. \"inbound\", \"submission\".");
            }

            if (!IPAddress.TryParse(listener.Address, out _))
            {
                error(key + ".address", $"'{listener.Address}' is not an IP address.", "write an address such as \"0.0.0.0\", \"127.0.0.1\" or \"::\".");
            }

            if (listener.Port is < 1 or > 65535)
            {
                error(key + ".port", $"{listener.Port} is not a TCP port.", "write a port from 1 to 65535, e.g. 25, 587 or 465.");
            }
            else if (!endPoints.Add($"{listener.Address}:{listener.Port}"))
            {
                error(key + ".port", $"{listener.Address}:{listener.Port} is used by another listener.", "give each listener its own address and port.");
            }

            if (!Roles.Contains(listener.Role, StringComparer.OrdinalIgnoreCase))
            {
                error(key + ".role", $"'{listener.Role}' is not a role.", "write \"inbound\" (mail from the Internet) or \"submission\" (your own users).");
            }

            if (listener.ImplicitTls && !options.Tls.Enabled)
            {
                error(key + ".implicitTls", "implicit TLS needs TLS, but tls.enabled is false.", "set tls.enabled to true or implicitTls to false.");
            }

            if (listener.PregreetWait < TimeSpan.Zero || listener.PregreetWait > TimeSpan.FromSeconds(30))
            {
                error(key + ".pregreetWait", $"{listener.PregreetWait} is outside 0 to 30 seconds.", "write e.g. \"00:00:02\"; postscreen uses 6 seconds.");
            }
        }
    }

    private static void ValidateTls(TlsOptions tls, Action<string, string, string> error)
    {
        if (!tls.Enabled || string.IsNullOrEmpty(tls.Certificate))
        {
            return;
        }

        if (!File.Exists(tls.Certificate))
        {
            error("tls.certificate", $"the file '{tls.Certificate}' does not exist.", "give a .pfx file, or a PEM certificate with tls.key, or leave it out for a generated self-signed certificate.");
        }

        if (tls.Key is not null && !File.Exists(tls.Key))
        {
            error("tls.key", $"the file '{tls.Key}' does not exist.", "give the PEM private key that belongs to tls.certificate.");
        }
    }

    private static void ValidateRelay(RelayOptions relay, Action<string, string, string> error)
    {
        foreach (var domain in relay.AcceptedDomains ?? [])
        {
            if (!IsDomainName(domain.TrimEnd('.')))
            {
                error("relay.acceptedDomains", $"'{domain}' is not a domain name.", "write domains such as \"example.com\", without \"@\" or spaces.");
            }
        }

        foreach (var network in relay.TrustedNetworks ?? [])
        {
            // IPAddress.TryParse takes "10.1" for 10.0.0.1; an operator who wrote that meant a network.
            var isAddress = IPAddress.TryParse(network, out var address)
                && (address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 || network.Count(c => c == '.') == 3);
            if (!IPNetwork.TryParse(network, out _) && !isAddress)
            {
                error("relay.trustedNetworks", $"'{network}' is not a network.", "write CIDR networks such as \"192.0.2.0/24\" or \"2001:db8::/32\".");
            }
        }
    }

    private static void ValidatePipeline(MoatOptions options, Action<string, string, string> error)
    {
        // The pipeline's own catalog judges the order and the filters' options, so the names
        // and rules live in one place.
        foreach (var problem in PipelineFactory.CreateFilters(options).Errors)
        {
            error("pipeline.order", problem + ".", "see `moat pipeline explain` and docs/configuration.md for the filters and their order.");
        }

        if (!(options.Pipeline.Order ?? []).Contains("relay", StringComparer.OrdinalIgnoreCase))
        {
            error("pipeline.order", "the relay filter is missing, which would make Moat an open relay.", "add \"relay\" to pipeline.order.");
        }

        if (options.Pipeline.FilterTimeout <= TimeSpan.Zero)
        {
            error("pipeline.filterTimeout", "must be positive.", "write a time span such as \"00:00:30\".");
        }
    }

    private static void ValidateTrust(MoatOptions options, Action<string, string, string> error)
    {
        var trust = options.Trust;
        var challenge = trust.Challenge;
        if (challenge.PublicUrl is { } url
            && !(Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" && string.IsNullOrEmpty(uri.Query)))
        {
            error("trust.challenge.publicUrl", $"'{url}' is not an http(s) address.", "write the address senders reach this gateway's web endpoint at, e.g. \"https://mail.example.org\".");
        }

        if (string.IsNullOrWhiteSpace(challenge.LocalPart) || !challenge.LocalPart.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
        {
            error("trust.challenge.localPart", $"'{challenge.LocalPart}' is not a simple local part.", "use letters, digits, '-', '_' or '.', e.g. \"confirm\".");
        }

        if (challenge.Domain is { } domain
            && !(IsDomainName(domain) && (options.Relay.AcceptedDomains ?? []).Contains(domain.TrimEnd('.'), StringComparer.OrdinalIgnoreCase)))
        {
            error("trust.challenge.domain", $"'{domain}' is not one of relay.acceptedDomains.", "leave it out to use the first accepted domain, or give an accepted domain: replies to challenges must reach this gateway.");
        }

        if (challenge.MaxPerSenderPerDay < 0)
        {
            error("trust.challenge.maxPerSenderPerDay", "must not be negative.", "the default is 1; 0 sends no challenges (held mail then waits for the recipient).");
        }

        if (challenge.HoldTime <= TimeSpan.Zero)
        {
            error("trust.challenge.holdTime", "must be positive.", "write a time span such as \"14.00:00:00\" (14 days, the default).");
        }

        if (trust.ReloadCheckInterval <= TimeSpan.Zero)
        {
            error("trust.reloadCheckInterval", "must be positive.", "the default is \"00:00:00.250\".");
        }

        if (trust.LearnedEntryLifetime is { } lifetime && lifetime <= TimeSpan.Zero)
        {
            error("trust.learnedEntryLifetime", "must be positive.", "leave it out to keep learned entries until removed, or write e.g. \"365.00:00:00\".");
        }

        if (trust.DigestInterval is { } digest && digest < TimeSpan.FromMinutes(1))
        {
            error("trust.digestInterval", "must be at least one minute.", "write e.g. \"1.00:00:00\" for a daily digest, or null to send none.");
        }

        var challenges = trust.UnknownSenders == Moat.Trust.UnknownSenderPolicy.Challenge
            || trust.UserPolicies.Values.Contains(Moat.Trust.UnknownSenderPolicy.Challenge);
        if (challenges && challenge.PublicUrl is not null && !options.Metrics.Enabled)
        {
            error("trust.challenge.publicUrl", "the confirmation page is served on the metrics endpoint, which is turned off.", "set metrics.enabled to true, or leave publicUrl out so challenges ask for a reply only.");
        }

        var familiarity = trust.Familiarity;
        if (familiarity.SenderAddressThreshold < 0 || familiarity.SenderDomainThreshold < 0 || familiarity.ClientAddressThreshold < 0)
        {
            error("trust.familiarity", "thresholds must not be negative.", "give a number of good messages, or 0 to turn a counter off.");
        }

        var listContent = trust.ListContent;
        if (listContent.SpamScore is <= 0 or > 1 || listContent.FirstPostScore is <= 0 or > 1)
        {
            error("trust.listContent", "spamScore and firstPostScore are scores between 0 and 1.", "the defaults are 0.9 and 0.7; raise them to hold fewer posts, or set enabled to false.");
        }

        foreach (var user in trust.UserPolicies.Keys.Where(user => !MimeKit.MailboxAddress.TryParse(user, out var mailbox) || !mailbox.Address.Contains('@')))
        {
            error($"trust.userPolicies.{user}", $"'{user}' is not an address.", "use the user's address as the key, e.g. \"alice@example.org\": \"challenge\".");
        }
    }

    private static void ValidateAccounts(Moat.Accounts.Accounts.AccountsOptions? accounts, Action<string, string, string> error)
    {
        // The rules live with the options, so the library and `moat config check` agree.
        foreach (var (key, problem, fix) in accounts?.Validate() ?? [])
        {
            error("accounts." + key, problem, fix);
        }
    }

    private static void ValidateDelivery(DeliveryOptions delivery, Action<string, string, string> error)
    {
        foreach (var (domain, route) in delivery.Routes ?? [])
        {
            if (!IsDomainName(domain.TrimEnd('.')))
            {
                error($"delivery.routes.{domain}", $"'{domain}' is not a domain name.", "use recipient domains as the keys of delivery.routes.");
            }

            ValidateRoute($"delivery.routes.{domain}", route, error);
        }

        ValidateRoute("delivery.defaultRoute", delivery.DefaultRoute, error);

        foreach (var server in delivery.DnsServers ?? [])
        {
            if (!IPAddress.TryParse(server, out _) && !IPEndPoint.TryParse(server, out _))
            {
                error("delivery.dnsServers", $"'{server}' is not an address or address:port.", "write e.g. \"127.0.0.1\" or \"127.0.0.1:5353\".");
            }
        }

        if (delivery.FirstRetryDelay <= TimeSpan.Zero || delivery.MaxRetryDelay < delivery.FirstRetryDelay)
        {
            error("delivery.firstRetryDelay", "must be positive and not above delivery.maxRetryDelay.", "the defaults are \"00:05:00\" and \"01:00:00\".");
        }

        if (delivery.MaxLifetime <= TimeSpan.Zero)
        {
            error("delivery.maxLifetime", "must be positive.", "the default is \"5.00:00:00\" (five days).");
        }

        if (delivery.MaxConcurrency < 1 || delivery.MaxConcurrencyPerDestination < 1)
        {
            error("delivery.maxConcurrency", "maxConcurrency and maxConcurrencyPerDestination must be at least 1.", "the defaults are 50 and 10.");
        }
    }

    private static void ValidateAntivirus(AntivirusOptions antivirus, Action<string, string, string> error)
    {
        string[] engines = ["signatures", "heuristics", "clamd"];
        foreach (var (name, direction) in new[] { ("inbound", antivirus.Inbound), ("outbound", antivirus.Outbound) })
        {
            var key = "antivirus." + name;
            foreach (var engine in direction.Engines ?? [])
            {
                if (!engines.Contains(engine, StringComparer.OrdinalIgnoreCase))
                {
                    error(key + ".engines", $"there is no engine named '{engine}'.", "use \"signatures\", \"heuristics\" and \"clamd\".");
                }
                else if (engine.Equals("clamd", StringComparison.OrdinalIgnoreCase) && (antivirus.Clamd ?? []).Count == 0)
                {
                    error(key + ".engines", "clamd is listed but antivirus.clamd names no server.", "add e.g. \"antivirus\": { \"clamd\": [\"127.0.0.1:3310\"] }, or remove clamd.");
                }
            }

            try
            {
                var decision = AntivirusComponents.ParseDecision(direction.Decision);
                if (decision.RequiredEngines > (direction.Engines ?? []).Count)
                {
                    error(key + ".decision", $"{direction.Decision} needs more engines than the {(direction.Engines ?? []).Count} listed.", "list more engines or lower the quorum.");
                }
            }
            catch (ArgumentException exception)
            {
                error(key + ".decision", exception.Message, "write \"any\" or \"quorum:2\".");
            }

            if (!Enum.TryParse<Moat.Scanning.Filter.AntivirusAction>(direction.Action, ignoreCase: true, out _))
            {
                error(key + ".action", $"'{direction.Action}' is not an action.", "write \"reject\", \"quarantine\" or \"tag\".");
            }
        }

        if (!Enum.TryParse<Moat.Scanning.Scanning.LimitAction>(antivirus.LimitAction, ignoreCase: true, out _))
        {
            error("antivirus.limitAction", $"'{antivirus.LimitAction}' is not an action.", "write \"reject\" or \"quarantine\".");
        }

        foreach (var server in antivirus.Clamd ?? [])
        {
            try
            {
                Moat.Scanning.Clamd.ClamdEndpoint.Parse(server);
            }
            catch (Exception exception) when (exception is ArgumentException or FormatException)
            {
                error("antivirus.clamd", $"'{server}' is not a clamd address.", "write \"127.0.0.1:3310\" or \"unix:/run/clamav/clamd.ctl\".");
            }
        }

        if (antivirus.EngineTimeout <= TimeSpan.Zero)
        {
            error("antivirus.engineTimeout", "must be positive.", "write a time span such as \"00:00:30\".");
        }

        if (antivirus.SignatureUpdateInterval is { } interval && (interval < TimeSpan.FromMinutes(1) || antivirus.SignatureSource is null))
        {
            error("antivirus.signatureUpdateInterval", "needs antivirus.signatureSource and at least one minute.", "set signatureSource to an https URL or folder, and an interval such as \"00:15:00\".");
        }
    }

    private static void ValidateRoute(string key, RouteOptions route, Action<string, string, string> error)
    {
        if (!Transports.Contains(route.Transport, StringComparer.OrdinalIgnoreCase))
        {
            error(key + ".transport", $"'{route.Transport}' is not a transport.", "write \"smtp\" (with host and port), \"mx\" or \"maildir\".");
            return;
        }

        if (route.Transport.Equals("smtp", StringComparison.OrdinalIgnoreCase))
        {
            if (string.IsNullOrWhiteSpace(route.Host))
            {
                error(key + ".host", "an smtp route needs a host.", "write the internal mail server's name or address, e.g. \"10.0.0.5\".");
            }

            if (route.Port is < 1 or > 65535)
            {
                error(key + ".port", $"{route.Port} is not a TCP port.", "write a port from 1 to 65535, usually 25.");
            }
        }

        if (!TlsModes.Contains(route.Tls, StringComparer.OrdinalIgnoreCase))
        {
            error(key + ".tls", $"'{route.Tls}' is not a TLS mode.", "write \"none\", \"opportunistic\" or \"required\".");
        }
    }

    private static bool IsDomainName(string name) =>
        name.Length is > 0 and <= 253
        && name.Split('.').All(label => label.Length is > 0 and <= 63
            && label.All(c => char.IsAsciiLetterOrDigit(c) || c == '-' || c > 127)
            && label[0] != '-' && label[^1] != '-');
}
