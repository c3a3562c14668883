using System.Buffers;
using System.Globalization;

namespace Moat.Scanning.Signatures;

/// <summary>
/// Parses one line of an .hdb, .hsb, .ndb or .ldb file into the builder. Syntax errors throw
/// <see cref="FormatException"/>; valid ClamAV features Moat does not implement throw
/// <see cref="NotSupportedException"/> (the loader skips the signature with a warning).
/// </summary>
internal static class SignatureLineParser
{
    /// <summary>Longest body pattern (with its gaps) we keep a window for.</summary>
    public const long MaxPatternLength = 1024 * 1024;

    /// <summary>Furthest "EOF-n" we keep a window for.</summary>
    public const long MaxEndDistance = 1024 * 1024;

    private static readonly string[] UnsupportedTdbKeys = ["EntryPoint", "NumberOfSections", "Container", "Intermediates", "IconGroup1", "IconGroup2", "HandlerType"];

    public static void ParseHash(SignatureSetBuilder builder, string line, bool shaFile)
    {
        var rest = line.AsSpan();
        var hashText = NextField(ref rest, ':', "hash");
        var sizeText = NextField(ref rest, ':', "size");
        var colon = rest.IndexOf(':');
        var name = colon < 0 ? rest : rest[..colon];
        if (name.IsEmpty)
        {
            throw new FormatException("expected hash:size:name[:flevel], the name is missing");
        }

        HashSignatureKind kind = hashText.Length switch
        {
            32 => HashSignatureKind.Md5,
            40 when shaFile => HashSignatureKind.Sha1,
            64 when shaFile => HashSignatureKind.Sha256,
            _ => throw new FormatException(shaFile
                ? $"hash has {hashText.Length} hex digits; .hsb expects 40 (SHA-1) or 64 (SHA-256) (or 32 for MD5)"
                : $"hash has {hashText.Length} hex digits; .hdb expects 32 (MD5)"),
        };

        Span<byte> digest = stackalloc byte[32];
        if (Convert.FromHexString(hashText, digest, out _, out var written) != OperationStatus.Done)
        {
            throw new FormatException($"hash '{hashText}' is not hexadecimal");
        }

        long size;
        if (sizeText is "*")
        {
            // ClamAV allows "*" (any size) for hash signatures from functionality level 73 on;
            // such signatures make every object be hashed, so they cost more than sized ones.
            size = HashSignatureSet.AnySize;
        }
        else if (!long.TryParse(sizeText, NumberStyles.None, CultureInfo.InvariantCulture, out size))
        {
            throw new FormatException($"size '{sizeText}' is not a number or '*'");
        }

        builder.Hashes(kind).Add(size, digest[..written], name);
    }

    public static void ParseBody(SignatureSetBuilder builder, string line)
    {
        var fields = line.Split(':');
        if (fields.Length is < 4 or > 6)
        {
            throw new FormatException($"expected name:target:offset:hexsig[:minflevel[:maxflevel]], found {fields.Length} fields");
        }

        if (fields[0].Length == 0)
        {
            throw new FormatException("the signature name is empty");
        }

        var target = ParseTarget(fields[1]);
        var offset = SignatureOffset.Parse(fields[2]);
        var elements = HexPatternParser.Parse(fields[3], caseInsensitive: false);
        for (var f = 4; f < fields.Length; f++)
        {
            if (fields[f].Length > 0 && !int.TryParse(fields[f], NumberStyles.None, CultureInfo.InvariantCulture, out _))
            {
                throw new FormatException($"functionality level '{fields[f]}' is not a number");
            }
        }

        builder.AddBody(CheckLimits(new BodyPattern(fields[0], elements, offset, target, 1, -1)));
    }

    public static void ParseLogical(SignatureSetBuilder builder, string line)
    {
        var fields = line.Split(';');
        if (fields.Length < 4)
        {
            throw new FormatException("expected name;Target:n[,…];expression;subsig0[;subsig1…]");
        }

        if (fields[0].Length == 0)
        {
            throw new FormatException("the signature name is empty");
        }

        var (target, minSize, maxSize) = ParseTargetDescription(fields[1]);
        var subsignatures = new List<(PatternElement[] Elements, SignatureOffset Offset)>();
        for (var i = 3; i < fields.Length; i++)
        {
            subsignatures.Add(ParseSubsignature(fields[i], i - 3));
        }

        var expression = LogicalExpressionParser.Parse(fields[2]);
        if (expression.MaxIndex >= subsignatures.Count)
        {
            throw new FormatException($"the expression uses subsignature {expression.MaxIndex} but only {subsignatures.Count} are given (numbered from 0)");
        }

        foreach (var (elements, offset) in subsignatures)
        {
            CheckLimits(new BodyPattern(fields[0], elements, offset, target, 1, -1));
        }

        builder.AddLogical(fields[0], target, minSize, maxSize, expression, subsignatures);
    }

    private static (SignatureTarget Target, long MinSize, long MaxSize) ParseTargetDescription(string text)
    {
        SignatureTarget? target = null;
        long minSize = 0, maxSize = long.MaxValue;
        foreach (var item in text.Split(','))
        {
            var colon = item.IndexOf(':');
            var key = colon < 0 ? item : item[..colon];
            var value = colon < 0 ? string.Empty : item[(colon + 1)..];
            switch (key)
            {
                case "Target":
                    target = ParseTarget(value);
                    break;
                case "Engine":
                    // Functionality levels only say which ClamAV versions understand the rule.
                    break;
                case "FileSize":
                    (minSize, maxSize) = ParseRange(value, "FileSize");
                    break;
                default:
                    if (UnsupportedTdbKeys.Contains(key))
                    {
                        throw new NotSupportedException($"target description '{key}' is not supported");
                    }

                    throw new FormatException($"unknown target description key '{key}' (expected Target, Engine, FileSize, …)");
            }
        }

        return (target ?? throw new FormatException("the target description block must contain Target:n"), minSize, maxSize);
    }

    private static (PatternElement[] Elements, SignatureOffset Offset) ParseSubsignature(string text, int index)
    {
        if (text.Contains('/', StringComparison.Ordinal))
        {
            throw new NotSupportedException($"subsignature {index} is a PCRE subsignature");
        }

        if (text.Contains('#', StringComparison.Ordinal) || text.Contains("${", StringComparison.Ordinal))
        {
            throw new NotSupportedException($"subsignature {index} uses byte compare or a macro");
        }

        var caseInsensitive = false;
        var modifiers = text.IndexOf("::", StringComparison.Ordinal);
        if (modifiers >= 0)
        {
            foreach (var modifier in text[(modifiers + 2)..])
            {
                switch (modifier)
                {
                    case 'i':
                        caseInsensitive = true;
                        break;
                    case 'a':
                        break;
                    case 'w':
                    case 'f':
                        throw new NotSupportedException($"subsignature {index}: modifier '{modifier}' (wide/fullword) is not supported");
                    default:
                        throw new FormatException($"subsignature {index}: unknown modifier '{modifier}' (expected i, w, f or a)");
                }
            }

            text = text[..modifiers];
        }

        var offset = SignatureOffset.Any;
        var colon = text.IndexOf(':');
        if (colon >= 0)
        {
            offset = SignatureOffset.Parse(text[..colon]);
            text = text[(colon + 1)..];
        }

        try
        {
            return (HexPatternParser.Parse(text, caseInsensitive), offset);
        }
        catch (FormatException ex)
        {
            throw new FormatException($"subsignature {index}: {ex.Message}", ex);
        }
    }

    private static BodyPattern CheckLimits(BodyPattern pattern)
    {
        if (pattern.MaxLength > MaxPatternLength)
        {
            throw new NotSupportedException($"the pattern may span {pattern.MaxLength} bytes, more than the {MaxPatternLength}-byte window");
        }

        if (pattern.Offset.Kind == SignatureOffsetKind.FromEnd && pattern.Offset.Value > MaxEndDistance)
        {
            throw new NotSupportedException($"offset EOF-{pattern.Offset.Value} is further from the end than {MaxEndDistance} bytes");
        }

        return pattern;
    }

    private static SignatureTarget ParseTarget(string text)
    {
        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var number) || !Enum.IsDefined((SignatureTarget)number))
        {
            throw new FormatException($"target '{text}' is not a ClamAV target type (0-7, 9-12)");
        }

        var target = (SignatureTarget)number;
        if (!FileTypeDetector.IsSupported(target))
        {
            throw new NotSupportedException($"target type {number} ({target}) is not recognised by Moat");
        }

        return target;
    }

    private static (long Min, long Max) ParseRange(string text, string key)
    {
        var dash = text.IndexOf('-');
        if (dash < 0 || !long.TryParse(text.AsSpan(0, dash), NumberStyles.None, CultureInfo.InvariantCulture, out var min)
            || !long.TryParse(text.AsSpan(dash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var max))
        {
            throw new FormatException($"{key} '{text}' is not 'min-max'");
        }

        return (min, max);
    }

    private static ReadOnlySpan<char> NextField(ref ReadOnlySpan<char> rest, char separator, string what)
    {
        var end = rest.IndexOf(separator);
        if (end < 0)
        {
            throw new FormatException($"expected hash:size:name[:flevel], the {what} is not followed by '{separator}'");
        }

        var field = rest[..end];
        rest = rest[(end + 1)..];
        return field;
    }
}
