namespace Moat.Web.Privacy;

/// <summary>
/// What the privacy notice page states, built from the live configuration by the host: every kind
/// of data Moat keeps, where, and for how long, then the operator's own text for local law.
/// </summary>
/// <param name="OperatorText">The operator's notice (privacy.noticeFile), shown as plain paragraphs; null when none is configured.</param>
public sealed record PrivacyNotice(IReadOnlyList<PrivacyNoticeItem> Items, string? OperatorText);
