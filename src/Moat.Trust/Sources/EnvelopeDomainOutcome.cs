namespace Moat.Trust.Sources;

/// <summary>The envelope-domain part of a <see cref="SenderSystemReport"/>.</summary>
internal sealed record EnvelopeDomainOutcome(SenderCheckResult Result, string? Domain, IReadOnlyList<string> MailExchangers, IReadOnlyList<string> Evidence);
