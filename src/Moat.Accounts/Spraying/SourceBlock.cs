namespace Moat.Accounts.Spraying;

/// <param name="Network">The blocked network, e.g. <c>203.0.113.0/24</c> or <c>2001:db8:1:2::/64</c>.</param>
/// <param name="Until">When the block ends.</param>
/// <param name="Reason">Why, for operators.</param>
/// <param name="Score">The source's score when it was blocked.</param>
public sealed record SourceBlock(string Network, DateTimeOffset Until, string Reason, double Score);
