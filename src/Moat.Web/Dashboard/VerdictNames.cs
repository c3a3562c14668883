namespace Moat.Web.Dashboard;

/// <summary>The transaction verdicts the gateway records, in the order and words the dashboard shows them.</summary>
public static class VerdictNames
{
    /// <summary>
    /// Always shown, with 0 until one happens, so the list does not grow under the reader's eyes.
    /// No "quarantine": the gateway records a quarantine verdict as "hold" (the message goes to the
    /// hold folder either way), so a separate line would stay at 0.
    /// </summary>
    public static IReadOnlyList<string> Known { get; } = ["accept", "hold", "reject", "tempfail", "discard", "error"];

    public static string Label(string verdict) => verdict switch
    {
        "accept" => "Accepted",
        "hold" => "Held or quarantined",
        "quarantine" => "Quarantined",
        "reject" => "Rejected",
        "tempfail" => "Refused for now (4xx)",
        "discard" => "Discarded",
        "error" => "Local error",
        _ => verdict,
    };

    /// <summary>The known verdicts first, in their order, then any others by name.</summary>
    public static IEnumerable<KeyValuePair<string, long>> Ordered(IReadOnlyDictionary<string, long> counts)
    {
        ArgumentNullException.ThrowIfNull(counts);
        foreach (var verdict in Known)
        {
            yield return new(verdict, counts.GetValueOrDefault(verdict));
        }

        foreach (var other in counts.Keys.Where(key => !Known.Contains(key)).Order(StringComparer.Ordinal))
        {
            yield return new(other, counts[other]);
        }
    }
}
