namespace Moat.Trust.Sources;

/// <summary>One SMTP reply as the probe client read it: the code and every line, code included.</summary>
internal sealed record CalloutReply(int Code, IReadOnlyList<string> Lines)
{
    public bool IsPositive => Code is >= 200 and < 300;

    public bool IsTransient => Code is >= 400 and < 500;

    public bool IsPermanent => Code >= 500;

    /// <summary>The text after the code of each line ("250-SIZE 1000" → "SIZE 1000").</summary>
    public IEnumerable<string> Texts => Lines.Select(l => l.Length > 4 ? l[4..] : string.Empty);

    /// <summary>The RFC 3463 enhanced status code at the start of the first line's text ("5.1.1"), if any.</summary>
    public string? EnhancedStatus
    {
        get
        {
            var text = Texts.FirstOrDefault() ?? string.Empty;
            var token = text.Split(' ', 2)[0];
            var parts = token.Split('.');
            return parts.Length == 3 && parts[0].Length == 1 && parts[0][0] is '2' or '4' or '5' &&
                   parts.Skip(1).All(p => p.Length is >= 1 and <= 3 && p.All(char.IsAsciiDigit))
                ? token
                : null;
        }
    }

    /// <summary>The reply as one log-safe line.</summary>
    public override string ToString() => EvidenceText.Printable(string.Join(" / ", Lines));
}
