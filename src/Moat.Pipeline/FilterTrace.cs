namespace Moat.Pipeline;

/// <summary>One line of the explain trace: a filter that ran, what it said and how long it took.</summary>
/// <param name="Verdict">The filter's verdict, or the runner's 451 4.3.0 when it failed.</param>
public sealed record FilterTrace(string Filter, Verdict Verdict, TimeSpan Elapsed, FilterFailure Failure)
{
    public double Milliseconds => Elapsed.TotalMilliseconds;

    public override string ToString()
    {
        var failure = Failure == FilterFailure.None ? string.Empty : $" [{Failure.ToString().ToLowerInvariant()}]";
        return $"{Filter}: {Verdict}{failure} ({Milliseconds:0.###} ms)";
    }
}
