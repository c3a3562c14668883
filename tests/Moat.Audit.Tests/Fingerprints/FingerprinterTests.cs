using System.Net;
using Moat.Audit.Discovery;
using Moat.Audit.Fingerprints;
using Moat.Audit.Probing;
using Moat.Audit.Tests.Fingerprints.Support;
using Xunit.Abstractions;

namespace Moat.Audit.Tests.Fingerprints;

public sealed class FingerprinterTests(ITestOutputHelper output)
{
    public static TheoryData<string, string, string?> Transcripts() => new()
    {
        // Captured from the real servers by the live prober tests (see Data/*.txt headers).
        { "postfix-leaky", ProductNames.Postfix, "3.7.11" },
        { "postfix-hardened", ProductNames.Postfix, null },
        { "postfix-neutral", ProductNames.Postfix, null },
        { "smtp-sink", ProductNames.PostfixSmtpSink, null },
        { "aiosmtpd", ProductNames.Aiosmtpd, "1.4.3" },
        // Written from Moat's reply table, and assembled from published sessions for the rest.
        { "moat", ProductNames.Moat, null },
        { "exim", ProductNames.Exim, "4.96" },
        { "sendmail", ProductNames.Sendmail, "8.14.4" },
        { "exchange", ProductNames.MicrosoftExchange, null },
        { "opensmtpd", ProductNames.OpenSmtpd, null },
        { "haraka", ProductNames.Haraka, "3.0.3" },
    };

    [Theory]
    [MemberData(nameof(Transcripts))]
    public void Each_product_is_recognised_from_its_transcript(string transcript, string product, string? version)
    {
        var fingerprint = Fingerprinter.Identify(CapturedTranscript.Load(transcript));
        output.WriteLine($"{fingerprint.Product} {fingerprint.Version} confidence {fingerprint.Confidence}; scores {string.Join(", ", fingerprint.Scores.OrderByDescending(s => s.Value))}");
        output.WriteLine(string.Join("\n", fingerprint.Evidence));

        Assert.Equal(product, fingerprint.Product);
        Assert.Equal(version, fingerprint.Version);
        Assert.True(fingerprint.Confidence >= 0.75, $"confidence {fingerprint.Confidence}: {string.Join(", ", fingerprint.Scores)}");
        Assert.True(fingerprint.Evidence.Count >= 3, string.Join("\n", fingerprint.Evidence));
    }

    [Fact]
    public void Every_transcript_in_the_data_folder_has_an_expected_product()
    {
        var covered = Transcripts().Select(row => (string)row[0]).ToHashSet(StringComparer.Ordinal);

        Assert.Equal(CapturedTranscript.Names(), covered.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Evidence_quotes_the_exact_lines()
    {
        var observation = CapturedTranscript.Load("postfix-leaky");

        var fingerprint = Fingerprinter.Identify(observation);

        Assert.Contains($"greeting names Postfix: S: {observation.Greeting[0]}", fingerprint.Evidence);
        Assert.Contains("unknown command: \"Error: command not recognized\": S: 500 5.5.2 Error: command not recognized", fingerprint.Evidence);
        Assert.Contains(fingerprint.Evidence, e => e.StartsWith("EHLO keywords in Postfix's order, with ETRN: PIPELINING SIZE VRFY ETRN", StringComparison.Ordinal));
    }

    [Fact]
    public void Moat_and_postfix_look_alike_in_order_but_not_in_words()
    {
        var moat = Fingerprinter.Identify(CapturedTranscript.Load("moat"));
        var postfix = Fingerprinter.Identify(CapturedTranscript.Load("postfix-neutral"));

        Assert.Equal(ProductNames.Moat, moat.Product);
        Assert.True(moat.Scores[ProductNames.Moat] - moat.Scores.GetValueOrDefault(ProductNames.Postfix) > 2, string.Join(", ", moat.Scores));
        Assert.Equal(ProductNames.Postfix, postfix.Product);
        Assert.True(postfix.Scores[ProductNames.Postfix] - postfix.Scores.GetValueOrDefault(ProductNames.Moat) > 2, string.Join(", ", postfix.Scores));
    }

    [Fact]
    public void A_product_in_the_banner_alone_is_enough_and_gives_the_version()
    {
        var fingerprint = Fingerprinter.Identify(Observation("220 mx.example.org ESMTP Exim 4.94.2 Sat, 28 Nov 2026 12:00:00 +0000"));

        Assert.Equal(ProductNames.Exim, fingerprint.Product);
        Assert.Equal("4.94.2", fingerprint.Version);
    }

    [Fact]
    public void Debian_postfix_banner_without_a_version_gives_no_version()
    {
        var fingerprint = Fingerprinter.Identify(Observation("220 mx.example.org ESMTP Postfix (Debian/GNU)"));

        Assert.Equal(ProductNames.Postfix, fingerprint.Product);
        Assert.Null(fingerprint.Version);
    }

    [Fact]
    public void A_neutral_greeting_alone_is_unknown()
    {
        var fingerprint = Fingerprinter.Identify(Observation("220 mx.example.org ESMTP"));

        Assert.Equal(Fingerprint.Unknown.Product, fingerprint.Product);
        Assert.Equal(0, fingerprint.Confidence);
        Assert.Null(fingerprint.Version);
    }

    [Fact]
    public void A_listener_that_does_not_speak_smtp_is_unknown()
    {
        Assert.Same(Fingerprint.Unknown, Fingerprinter.Identify(Observation("HTTP/1.1 400 Bad Request")));
        Assert.Same(Fingerprint.Unknown, Fingerprinter.Identify(new ListenerObservation { Endpoint = Endpoint }));
        Assert.Same(Fingerprint.Unknown, Fingerprinter.Identify(Observation("554 5.7.1 ESMTP Postfix: go away")));
    }

    [Fact]
    public void Two_products_close_together_are_unknown_rather_than_a_coin_toss()
    {
        var observation = Observation("220 mx.example.org ESMTP") with
        {
            Replies = new Dictionary<string, string>
            {
                [ProbeCommands.BadMailFrom] = "501 5.1.7 Bad sender address syntax",
                [ProbeCommands.Quit] = "221 2.0.0 Bye",
            },
        };

        var fingerprint = Fingerprinter.Identify(observation);

        Assert.Equal(Fingerprint.Unknown.Product, fingerprint.Product);
        Assert.NotEmpty(fingerprint.Evidence);
        Assert.Contains(ProductNames.Moat, fingerprint.Scores.Keys);
        Assert.Contains(ProductNames.Postfix, fingerprint.Scores.Keys);
    }

    [Fact]
    public void Rules_can_be_supplied_as_data()
    {
        FingerprintRule[] rules =
        [
            new("Acme MTA", FingerprintSource.Greeting, @"ESMTP Acme (?<version>\d+\.\d+)", 1.0, "greeting names Acme"),
            new("Acme MTA", FingerprintSource.Help, @"^214 Acme help$", 0.5, "HELP names Acme"),
        ];
        var observation = Observation("220 mx ESMTP Acme 2.1") with { Replies = new Dictionary<string, string> { [ProbeCommands.Help] = "214-intro\n214 Acme help" } };

        var fingerprint = Fingerprinter.Identify(observation, rules);

        Assert.Equal("Acme MTA", fingerprint.Product);
        Assert.Equal("2.1", fingerprint.Version);
        Assert.Equal(["greeting names Acme: S: 220 mx ESMTP Acme 2.1", "HELP names Acme: S: 214 Acme help"], fingerprint.Evidence);
        Assert.Equal(1.5, fingerprint.Scores["Acme MTA"]);
    }

    [Fact]
    public void A_rule_counts_once_however_many_lines_match()
    {
        FingerprintRule[] rules = [new("Echo", FingerprintSource.Vrfy, "^252 ", 0.7, "VRFY 252")];
        var observation = Observation("220 mx ESMTP") with
        {
            UserEnumeration = new Dictionary<string, string> { ["VRFY a"] = "252 a", ["VRFY b"] = "252 b", ["EXPN a"] = "252 a" },
        };

        var fingerprint = Fingerprinter.Identify(observation, rules);

        Assert.Equal(0.7, fingerprint.Scores["Echo"]);
        Assert.Single(fingerprint.Evidence);
    }

    private static readonly ListenerEndpoint Endpoint = new(IPAddress.Parse("192.0.2.1"), 25);

    private static ListenerObservation Observation(string greeting) => new() { Endpoint = Endpoint, Greeting = [greeting] };
}
