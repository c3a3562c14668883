namespace Moat.Trust;

/// <summary>
/// The <c>trust.listContent</c> section: the content check of mailing-list posts. An allow-list
/// entry for a list vouches for the list, not for what its posters send, so a trusted list's posts
/// are also scored by a Bayesian classifier that learns from the trust decisions themselves.
/// </summary>
public sealed class ListContentOptions
{
    public bool Enabled { get; set; } = true;

    /// <summary>A list post scoring at least this is held for the recipient's digest.</summary>
    public double SpamScore { get; set; } = 0.9;

    /// <summary>The same for the first post of an author on that list, whom the list's history does not vouch for.</summary>
    public double FirstPostScore { get; set; } = 0.7;
}
