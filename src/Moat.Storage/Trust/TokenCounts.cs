namespace Moat.Storage.Trust;

/// <summary>In how many ham and spam messages a content token was seen (or, for the totals, how many messages were learned).</summary>
public readonly record struct TokenCounts(long Ham, long Spam);
