namespace Moat.Trust.Sources;

/// <summary>One host that takes mail for a domain: an MX target, or the domain itself under the implicit MX rule.</summary>
internal readonly record struct MailExchanger(int Preference, string Host);
