namespace Moat.Audit.Findings;

/// <summary>
/// How to fix a finding, in the words of the product that answered when it is one we know, so an
/// administrator gets the setting to change rather than a principle.
/// </summary>
internal static class FixAdvice
{
    public static string OpenRelay(string product) =>
        Specific(product, new()
        {
            ["Postfix"] = "Set smtpd_relay_restrictions = permit_mynetworks, permit_sasl_authenticated, reject_unauth_destination and keep mynetworks to your own hosts; also set allow_percent_hack = no and swap_bangpath = no.",
            ["Exim"] = "Relay only for relay_from_hosts and authenticated senders (the default acl_check_rcpt: require verify = recipient, deny unless the domain is in relay_to_domains); check hostlist relay_from_hosts.",
            ["Sendmail"] = "Remove promiscuous_relay, relay_entire_domain and relay_local_from from the .mc file and list only your networks in /etc/mail/relay-domains (or the access map).",
            ["Microsoft Exchange"] = "Remove 'Anonymous users' with ms-Exch-SMTP-Accept-Any-Recipient from the receive connector: Get-ADPermission/Remove-ADPermission on the connector.",
            ["Postfix smtp-sink"] = "smtp-sink is a test server that accepts everything: it must never be reachable from outside; stop it or firewall the port.",
            ["aiosmtpd"] = "aiosmtpd accepts every recipient unless its handler refuses: refuse recipients outside your domains in handle_RCPT, or firewall the port.",
        })
        ?? "Accept mail only for your own domains, and relay to others only for authenticated users and trusted networks.";

    public static string HideVersion(string product) =>
        Specific(product, new()
        {
            ["Postfix"] = "Set smtpd_banner = $myhostname ESMTP (no $mail_name or $mail_version).",
            ["Exim"] = "Set smtp_banner = $smtp_active_hostname ESMTP (without $version_number and $tod_full).",
            ["Sendmail"] = "define(`confSMTP_LOGIN_MSG', `$j ESMTP') in sendmail.mc and rebuild sendmail.cf.",
            ["Microsoft Exchange"] = "Set-ReceiveConnector -Banner \"220 <host name> ESMTP\" on every receive connector.",
            ["aiosmtpd"] = "Pass ident=\"ESMTP\" (or your own text) to the SMTP class.",
            ["OpenSMTPD"] = "Give each listener a neutral hostname and keep the default banner text; upgrade if the version shows.",
            ["Haraka"] = "Set the banner in config/smtp.ini (or the connect.banner hook) without the product name.",
        })
        ?? "Configure the greeting and the EHLO and HELP replies to say only the host name and ESMTP.";

    public static string UserEnumeration(string product) =>
        Specific(product, new()
        {
            ["Postfix"] = "Set disable_vrfy_command = yes (Postfix never expands EXPN for strangers).",
            ["Exim"] = "Remove acl_smtp_vrfy and acl_smtp_expn (or make them deny) so VRFY and EXPN are refused.",
            ["Sendmail"] = "Add goaway (or novrfy,noexpn) to confPRIVACY_FLAGS.",
            ["aiosmtpd"] = "Answer VRFY with 252 in the handler (handle_VRFY) instead of confirming names.",
        })
        ?? "Answer VRFY with 252 (\"cannot verify, will try delivery\") and refuse EXPN with 502.";

    public static string AuthOnlyUnderTls(string product) =>
        Specific(product, new()
        {
            ["Postfix"] = "Set smtpd_tls_auth_only = yes (and offer AUTH only on submission, port 587/465).",
            ["Exim"] = "Set auth_advertise_hosts = ${if eq{$tls_in_cipher}{}{}{*}} so AUTH is offered only after STARTTLS.",
            ["Sendmail"] = "Set confAUTH_OPTIONS to include p (no plain-text mechanisms without TLS).",
            ["Microsoft Exchange"] = "Set-ReceiveConnector -AuthMechanism Tls,BasicAuth,BasicAuthRequireTLS.",
        })
        ?? "Offer AUTH only after STARTTLS (or on implicit TLS, port 465).";

    public static string EnableStartTls(string product) =>
        Specific(product, new()
        {
            ["Postfix"] = "Set smtpd_tls_security_level = may (encrypt on port 25) or encrypt (submission) and smtpd_tls_chain_files to the key and certificate.",
            ["Exim"] = "Set tls_advertise_hosts = * with tls_certificate and tls_privatekey.",
            ["Sendmail"] = "Define confSERVER_CERT and confSERVER_KEY (and the CA files) in sendmail.mc.",
        })
        ?? "Offer STARTTLS with a certificate for the host's name.";

    public static string ModernTlsOnly(string product) =>
        Specific(product, new()
        {
            ["Postfix"] = "Set smtpd_tls_protocols = >=TLSv1.2 and smtpd_tls_mandatory_protocols = >=TLSv1.2.",
            ["Exim"] = "Set tls_require_ciphers (GnuTLS priority string without VERS-TLS1.0 and VERS-TLS1.1) or openssl_options = +no_tlsv1 +no_tlsv1_1.",
        })
        ?? "Accept TLS 1.2 and 1.3 only.";

    private static string? Specific(string product, Dictionary<string, string> byProduct) =>
        byProduct.TryGetValue(product, out var fix) ? fix : null;
}
