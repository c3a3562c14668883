namespace Moat.Audit.Probing;

/// <summary>One reply as received: all its lines, and the code when the first line had one.</summary>
internal sealed record ProbeReply(int? Code, IReadOnlyList<string> Lines)
{
    public bool IsPositive => Code is >= 200 and < 400;

    public bool IsCompletion => Code is >= 200 and < 300;

    /// <summary>The lines joined by "\n", as <see cref="ListenerObservation.Replies"/> keeps them.</summary>
    public string Text => string.Join('\n', Lines);
}
