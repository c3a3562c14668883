namespace Moat.Scanning.Clamd;

/// <summary>clamd's answer to one INSTREAM scan.</summary>
public sealed record ClamdReply(ClamdReplyKind Kind, IReadOnlyList<string> Threats, string Text)
{
    private const string StreamPrefix = "stream: ";
    private const string FoundSuffix = " FOUND";
    private const string ErrorSuffix = " ERROR";

    /// <summary>
    /// Reads the reply lines (without their terminators). With AllMatchScan clamd sends one FOUND
    /// line per match; a detection wins over an error in the same reply, as it is certain.
    /// </summary>
    public static ClamdReply Parse(IReadOnlyList<string> lines)
    {
        ArgumentNullException.ThrowIfNull(lines);
        var text = string.Join(" | ", lines);
        var threats = new List<string>();
        ClamdReply? trouble = null;
        var clean = false;
        foreach (var line in lines)
        {
            if (line.EndsWith(ErrorSuffix, StringComparison.Ordinal))
            {
                var kind = line.Contains("size limit exceeded", StringComparison.OrdinalIgnoreCase)
                    ? ClamdReplyKind.SizeLimitExceeded
                    : ClamdReplyKind.Error;
                trouble ??= new ClamdReply(kind, [], line);
            }
            else if (line.StartsWith(StreamPrefix, StringComparison.Ordinal) && line.EndsWith(FoundSuffix, StringComparison.Ordinal)
                && line.Length > StreamPrefix.Length + FoundSuffix.Length)
            {
                threats.Add(ThreatName(line[StreamPrefix.Length..^FoundSuffix.Length]));
            }
            else if (line == StreamPrefix + "OK")
            {
                clean = true;
            }
            else
            {
                trouble ??= new ClamdReply(ClamdReplyKind.Error, [], "unexpected reply: " + line);
            }
        }

        if (threats.Count > 0)
        {
            return new ClamdReply(ClamdReplyKind.Found, threats.Distinct(StringComparer.Ordinal).ToArray(), text);
        }

        return trouble
            ?? (clean ? new ClamdReply(ClamdReplyKind.Clean, [], text) : new ClamdReply(ClamdReplyKind.Error, [], "empty reply"));
    }

    /// <summary>Drops the "(md5:size)" that ExtendedDetectionInfo appends to the name.</summary>
    private static string ThreatName(string name)
    {
        var open = name.LastIndexOf('(');
        return open > 0 && name.EndsWith(')') && name[(open + 1)..^1].Contains(':', StringComparison.Ordinal)
            ? name[..open]
            : name;
    }
}
