using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Moat.Storage;

namespace Moat.Cli.Hosting.Logging;

/// <summary>
/// Replaces e-mail addresses in text with keyed hashes, <c>addr:</c> and the first 16 hex digits
/// of HMAC-SHA256 over the address in lower case, under the installation's key
/// (<c>pseudonym.key</c> in the data folder). The same address always gives the same pseudonym,
/// so an operator can still follow one person through the logs (<c>moat privacy pseudonym</c>),
/// but without the key nobody can test guesses against them.
/// </summary>
internal sealed partial class AddressPseudonymiser
{
    public const string DefaultFileName = "pseudonym.key";

    public const string Prefix = "addr:";

    /// <summary>Stands in for text that could not be searched in time: nothing is written rather than an address.</summary>
    public const string Withheld = "[withheld: addresses could not be pseudonymised in time]";

    // A local part starts with a letter, a digit or one of these; the rest of RFC 5322's atext
    // (apostrophes, slashes, braces, '=' …) may follow but a run that begins with them, as in
    // "'bob@x'", "{bob@x}" or "/bob@x", has them in front of the address, not in it. Splitting
    // them off keeps the pseudonym the same as the one `moat privacy pseudonym` prints.
    private const string LocalStart = @"[\w!#$%&*+^`~-]";
    private const string LocalOther = @"['./=?{|}]";
    private const string LocalRest = @"[\w!#$%&*+^`~'./=?{|}-]";
    private const string QuotedLocal = "\"(?:[^\"\\\\\\r\\n]|\\\\.)*\"";
    private const string Label = @"\w+(?:-+\w+)*";
    private const string Domain = $@"(?:\[[^\[\]\s]*\]|{Label}(?:\.{Label})*)";

    // A "key=" in front (from=, to=, identity=) is how logs write fields, not part of the address.
    private const string Key = @"(?:(?<![A-Za-z_])(?<key>[A-Za-z][A-Za-z_]*=))?";

    // Matching only from the start of a run of local-part characters (the lookbehind) keeps the
    // search linear: a long token without '@' is read once, not once from every character in it.
    // Right after the previous address (\G) counts as a start too, or the second of
    // "bob@example.org/alice@example.org" would be left out. A quoted local part may begin
    // anywhere, so it is an alternative of its own.
    private const string InText =
        $@"(?:\G|(?<!{LocalRest})){Key}(?<lead>{LocalOther}*)(?<address>{LocalStart}{LocalRest}*@{Domain})"
        + $@"|{Key}(?<address>{QuotedLocal}@{Domain})";

    private const string WholeAddress = $@"^(?:{QuotedLocal}|{LocalStart}{LocalRest}*)@{Domain}\z";

    private readonly byte[] key;

    public AddressPseudonymiser(byte[] key)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentOutOfRangeException.ThrowIfLessThan(key.Length, 16, nameof(key));
        this.key = key.ToArray();
    }

    /// <summary>The pseudonymiser of the installation whose data folder this is; creates its key (owner-only) on first use.</summary>
    /// <exception cref="IOException">The key file cannot be read or created.</exception>
    /// <exception cref="UnauthorizedAccessException">The key file or the data folder may not be read or written.</exception>
    /// <exception cref="InvalidDataException">The key file is too short.</exception>
    public static AddressPseudonymiser LoadOrCreate(string dataDirectory) => new(KeyFile.LoadOrCreate(
        KeyPath(dataDirectory),
        32,
        "Restore it from a backup; deleting it makes a new one, after which every address gets another pseudonym and older log lines can no longer be found with `moat privacy pseudonym`."));

    public static string KeyPath(string dataDirectory) => Path.Combine(dataDirectory, DefaultFileName);

    /// <summary>The form an address is hashed in: without surrounding space, angle brackets or a final dot, in lower case.</summary>
    public static string Normalise(string address)
    {
        ArgumentNullException.ThrowIfNull(address);
        var text = address.Trim();
        if (text.Length >= 2 && text[0] == '<' && text[^1] == '>')
        {
            text = text[1..^1].Trim();
        }

        return text.TrimEnd('.').ToLowerInvariant();
    }

    /// <summary>Whether <paramref name="text"/> is, once normalised, one whole address as the logs recognise it.</summary>
    public static bool IsAddress(string text) => WholeAddressPattern().IsMatch(Normalise(text));

    /// <summary>The pseudonym of one address, e.g. <c>addr:3f9a1c0b7d2e4f61</c>; case, brackets and a final dot do not matter.</summary>
    public string Pseudonym(string address)
    {
        Span<byte> hash = stackalloc byte[HMACSHA256.HashSizeInBytes];
        HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(Normalise(address)), hash);
        return Prefix + Convert.ToHexStringLower(hash[..8]);
    }

    /// <summary>
    /// <paramref name="text"/> with every address replaced by its pseudonym; brackets, quotes and
    /// "key=" around it stay. Text that takes too long to search is withheld whole, never passed on.
    /// </summary>
    public string Rewrite(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (!text.Contains('@'))
        {
            return text;
        }

        try
        {
            return AddressInTextPattern().Replace(text, match => match.Groups["key"].Value + match.Groups["lead"].Value + Pseudonym(match.Groups["address"].Value));
        }
        catch (RegexMatchTimeoutException)
        {
            return Withheld;
        }
    }

    [GeneratedRegex(InText, RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex AddressInTextPattern();

    [GeneratedRegex(WholeAddress, RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex WholeAddressPattern();
}
