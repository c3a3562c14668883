using System.Text;
using System.Text.RegularExpressions;
using Moat.Scanning.Signatures;

namespace Moat.Scanning.Tests.Signatures;

/// <summary>
/// Compares the automaton-and-window matcher with an independent reference: each pattern
/// translated to a .NET regular expression over the bytes as Latin-1 characters. Random patterns
/// over a four-letter alphabet make anchor hits, overlaps and near misses frequent.
/// </summary>
public class MatcherCrossCheckTests
{
    private const string Alphabet = "abcd";

    [Fact]
    public void Matches_the_regex_reference_on_random_patterns_and_inputs()
    {
        var random = new Random(20261128);
        var matches = 0;
        for (var round = 0; round < 150; round++)
        {
            var patterns = Enumerable.Range(0, 25).Select(_ => RandomPattern(random)).ToArray();
            var lines = patterns.Select((p, i) => $"P{i}:0:{p.Offset}:{p.Hex}").ToArray();
            var set = SignatureTestData.Ndb(lines);
            for (var input = 0; input < 4; input++)
            {
                var content = RandomInput(random);
                var text = Encoding.Latin1.GetString(content);
                var expected = patterns.Select((p, i) => (p, i)).Where(x => ReferenceMatches(x.p, text)).Select(x => "P" + x.i).Order().ToArray();
                var chunk = random.Next(3) switch { 0 => 1, 1 => random.Next(2, 50), _ => 64 * 1024 };
                var actual = SignatureTestData.ScanInChunks(set, content, chunk).Order().ToArray();
                matches += expected.Length;
                Assert.True(expected.SequenceEqual(actual), $"round {round}, chunk {chunk}: expected [{string.Join(",", expected)}] got [{string.Join(",", actual)}]\n{string.Join("\n", lines)}\ninput: {text}");
            }
        }

        // The comparison means something only if both matches and misses are common.
        Assert.InRange(matches, 1000, 150 * 4 * 25 - 1000);
    }

    private static bool ReferenceMatches((string Hex, string Offset, string Regex) pattern, string text)
    {
        var offset = SignatureOffset.Parse(pattern.Offset);
        if (offset.Kind == SignatureOffsetKind.Any)
        {
            return new Regex(pattern.Regex, RegexOptions.CultureInvariant).IsMatch(text);
        }

        // "\G" pins the match to the start position given to IsMatch.
        var anchored = new Regex(@"\G" + pattern.Regex, RegexOptions.CultureInvariant);
        var first = offset.Kind == SignatureOffsetKind.FromStart ? offset.Value : text.Length - offset.Value;
        for (var start = Math.Max(0, first); start <= Math.Min(text.Length, first + offset.MaxShift); start++)
        {
            if (anchored.IsMatch(text, (int)start))
            {
                return true;
            }
        }

        return false;
    }

    private static byte[] RandomInput(Random random)
    {
        var content = new byte[random.Next(0, 1500)];
        for (var i = 0; i < content.Length; i++)
        {
            content[i] = random.Next(40) == 0 ? (byte)random.Next(256) : (byte)Alphabet[random.Next(Alphabet.Length)];
        }

        return content;
    }

    private static (string Hex, string Offset, string Regex) RandomPattern(Random random)
    {
        var hex = new StringBuilder();
        var regex = new StringBuilder();
        var segments = random.Next(1, 4);
        for (var s = 0; s < segments; s++)
        {
            if (s > 0)
            {
                AddGap(random, hex, regex);
            }

            var tokens = random.Next(1, 6);
            for (var t = 0; t < tokens; t++)
            {
                AddToken(random, hex, regex);
            }
        }

        var offset = random.Next(10) switch
        {
            0 => random.Next(20).ToString(),
            1 => $"{random.Next(20)},{random.Next(30)}",
            2 => $"EOF-{random.Next(1, 40)}",
            _ => "*",
        };
        return (hex.ToString(), offset, regex.ToString());
    }

    private static void AddToken(Random random, StringBuilder hex, StringBuilder regex)
    {
        var letter = Alphabet[random.Next(Alphabet.Length)];
        switch (random.Next(10))
        {
            case 0:
                hex.Append("??");
                regex.Append(@"[\s\S]");
                break;
            case 1:
                hex.Append("6?");
                regex.Append(@"[\x60-\x6f]");
                break;
            case 2:
                hex.Append($"?{letter & 0xF:x}");
                regex.Append('[').Append(string.Concat(Enumerable.Range(0, 16).Select(h => $@"\x{(h << 4) | (letter & 0xF):x2}"))).Append(']');
                break;
            case 3:
                var first = Alphabet[random.Next(Alphabet.Length)];
                var second = Alphabet[random.Next(Alphabet.Length)];
                hex.Append($"({(int)letter:x2}|{(int)first:x2}{(int)second:x2})");
                regex.Append($@"(?:\x{(int)letter:x2}|\x{(int)first:x2}\x{(int)second:x2})");
                break;
            default:
                hex.Append($"{(int)letter:x2}");
                regex.Append($@"\x{(int)letter:x2}");
                break;
        }
    }

    private static void AddGap(Random random, StringBuilder hex, StringBuilder regex)
    {
        var n = random.Next(0, 4);
        var m = n + random.Next(0, 5);
        switch (random.Next(5))
        {
            case 0:
                hex.Append('*');
                regex.Append($@"[\s\S]{{0,{HexPatternParser.OpenGapLimit}}}");
                break;
            case 1:
                hex.Append($"{{{n}}}");
                regex.Append($@"[\s\S]{{{n}}}");
                break;
            case 2:
                hex.Append($"{{{n}-{m}}}");
                regex.Append($@"[\s\S]{{{n},{m}}}");
                break;
            case 3:
                hex.Append($"{{-{m}}}");
                regex.Append($@"[\s\S]{{0,{m}}}");
                break;
            default:
                hex.Append($"{{{n}-}}");
                regex.Append($@"[\s\S]{{{n},{n + HexPatternParser.OpenGapLimit}}}");
                break;
        }
    }
}
