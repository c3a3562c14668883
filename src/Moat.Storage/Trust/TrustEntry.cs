namespace Moat.Storage.Trust;

/// <summary>
/// One allow-list entry. <see cref="Owner"/> is a local user's address (lower case) or
/// <see cref="Organisation"/> for the organisation-wide list. <see cref="Pattern"/> is either a
/// whole address (<c>alice@example.org</c>) or a domain (<c>example.org</c>, which also covers its
/// subdomains), always lower case and without a trailing dot.
/// </summary>
public sealed record TrustEntry(
    string Owner,
    string Pattern,
    TrustSource Source,
    DateTimeOffset Added,
    DateTimeOffset? Expires = null)
{
    /// <summary>The owner of organisation-wide entries.</summary>
    public const string Organisation = "*";

    public bool IsDomain => !Pattern.Contains('@');

    public bool IsExpiredAt(DateTimeOffset now) => Expires is { } expires && expires <= now;
}
