using System.Net.Http;
using System.Text;
using System.Text.Json.Nodes;
using MimeKit;
using MimeKit.Cryptography;
using Moat.Cli.Tests.Support;
using Moat.Storage.Sqlite;
using Moat.Testing;
using Moat.Trust.Content;
using Org.BouncyCastle.Crypto.Generators;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Security;
using Org.BouncyCastle.X509;

namespace Moat.Cli.Tests.Hosting;

/// <summary>
/// The trust filter in the running gateway, with a real DNS server serving SPF, DKIM and DMARC
/// records, swaks sending from different loopback addresses (127.0.0.2: our users; 127.0.0.3:
/// the partners' and strangers' mail servers; 127.0.0.1: anybody else), aiosmtpd as the internal
/// server and another aiosmtpd as "the Internet" where challenges go.
/// </summary>
public sealed class TrustEndToEndTests : IAsyncLifetime
{
    private const string OurUsers = "127.0.0.2";
    private const string PartnerServer = "127.0.0.3";
    private const string Elsewhere = "127.0.0.1";
    private static readonly string[] ListHeaders = ["--add-header", "List-Id: <dev.partner.test>", "--add-header", "List-Post: <mailto:dev@partner.test>"];

    private readonly TempFolder files = new("moat-trust");
    private NsdServer? dns;
    private AioSmtpdServer? internalServer;
    private AioSmtpdServer? internet;
    private MoatProcess? moat;
    private JsonObject configuration = new();
    private AsymmetricKeyPair? dkimKey;

    private sealed record AsymmetricKeyPair(RsaPrivateCrtKeyParameters Private, string PublicBase64);

    public async Task InitializeAsync()
    {
        dkimKey = CreateDkimKey();
        dns = await NsdServer.StartAsync(
            new DnsZone("partner.test")
                .Txt("@", $"v=spf1 ip4:{PartnerServer} -all")
                .Txt("_dmarc", "v=DMARC1; p=reject")
                .Txt("sel._domainkey", $"v=DKIM1; k=rsa; p={dkimKey.PublicBase64}")
                .Mx("@", 10, "mx")
                .A("mx", PartnerServer),
            new DnsZone("bank.test")
                .Txt("@", $"v=spf1 ip4:{PartnerServer} -all")
                .Txt("_dmarc", "v=DMARC1; p=none")
                .Mx("@", 10, "mx"),
            new DnsZone("stranger.test")
                .Txt("@", $"v=spf1 ip4:{PartnerServer} -all")
                .Mx("@", 10, "mx"),

            // The parent zone answers "no such name" for names the other zones don't hold, as the
            // real DNS does (DMARC's tree walk asks for _dmarc.test).
            new DnsZone("test"),

            // The partners' server has a forward-confirmed reverse name, as real mail servers do.
            new DnsZone("0.0.127.in-addr.arpa").Add("3", "PTR", "mx.partner.test."));
        internalServer = await AioSmtpdServer.StartAsync();
        internet = await AioSmtpdServer.StartAsync();
        var metrics = FreePort.Get();
        configuration = GatewayConfiguration.Create()
            .Route("example.test", GatewayConfiguration.SmtpRoute(internalServer.Port))
            .Route("partner.test", GatewayConfiguration.SmtpRoute(internet.Port))
            .Route("bank.test", GatewayConfiguration.SmtpRoute(internet.Port))
            .Route("stranger.test", GatewayConfiguration.SmtpRoute(internet.Port));
        configuration["web"] = new JsonObject { ["listen"] = $"127.0.0.1:{metrics}" };
        configuration["relay"]!["trustedNetworks"] = new JsonArray($"{OurUsers}/32");
        configuration["delivery"]!["dnsServers"] = new JsonArray(dns.NameServer);
        configuration["pipeline"] = new JsonObject { ["order"] = new JsonArray("size", "sender", "relay", "recipient-domains", "trust") };
        configuration["trust"] = new JsonObject
        {
            ["unknownSenders"] = "challenge",
            ["challenge"] = new JsonObject { ["publicUrl"] = $"http://127.0.0.1:{metrics}" },
        };
        moat = await MoatProcess.StartAsync(configuration);
    }

    public async Task DisposeAsync()
    {
        if (moat is not null)
        {
            await moat.DisposeAsync();
        }

        internalServer?.Dispose();
        internet?.Dispose();
        dns?.Dispose();
        files.Dispose();
    }

    [Fact]
    public async Task AReplyFromALearnedCorrespondentIsDeliveredAsTrusted()
    {
        await SendAsync(OurUsers, "alice@example.test", "bob@partner.test", "Lunch?");
        await internet!.WaitForMessagesAsync(1, TimeSpan.FromSeconds(30));

        var reply = await SendAsync(PartnerServer, "bob@partner.test", "alice@example.test", "Re: Lunch?");

        Assert.Equal(0, reply.ExitCode);
        var delivered = Assert.Single(await internalServer!.WaitForMessagesAsync(1, TimeSpan.FromSeconds(30)));
        var message = Parse(delivered);
        Assert.Equal("trusted; source=learned", message.Headers["X-Sender-Trust"]);
        var results = message.Headers["Authentication-Results"];
        Assert.StartsWith(GatewayConfiguration.HostName + ";", results);
        Assert.Contains("spf=pass", results);
        Assert.Contains("dmarc=pass", results);
    }

    [Fact]
    public async Task APostOfAListTheUserWroteToIsTrustedThoughItsFromIsThePosters()
    {
        await SendAsync(OurUsers, "alice@example.test", "dev@partner.test", "A question for the list");
        await internet!.WaitForMessagesAsync(1, TimeSpan.FromSeconds(30));

        // The list leaves the poster's From alone and sends from its own, SPF-authorised bounce address.
        var post = await Swaks.RunAsync(
            configuration.SmtpPort(),
            "--local-interface", PartnerServer, "--helo", "mx.partner.test",
            "--from", "dev-bounces@partner.test", "--to", "alice@example.test",
            "--header", "From: carol@bank.test", "--header", "Subject: [dev] Re: A question for the list",
            "--add-header", "List-Id: <dev.partner.test>", "--add-header", "List-Post: <mailto:dev@partner.test>",
            "--body", "An answer from another subscriber.");

        Assert.Equal(0, post.ExitCode);
        var message = Parse(Assert.Single(await internalServer!.WaitForMessagesAsync(1, TimeSpan.FromSeconds(30))));
        Assert.Equal("trusted; source=learned", message.Headers["X-Sender-Trust"]);
        Assert.Contains("mailing list dev@partner.test", moat!.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AListPostLookingLikeTheSpamTheGatewayRefusedIsHeldAndAnOrdinaryOneDelivered()
    {
        const string Work = "the build failed again after the merge, see the test log and the patch for the release";
        const string Junk = "cheap pills casino winner, claim your free prize money now at our online pharmacy";
        const int Learned = (int)ContentClassifier.MinimumLearned;
        await SendAsync(OurUsers, "alice@example.test", "dev@partner.test", "Joining the list");
        await SendAsync(OurUsers, "alice@example.test", "bob@partner.test", "Lunch?");
        await internet!.WaitForMessagesAsync(2, TimeSpan.FromSeconds(30));

        // What the trust decisions teach: a correspondent's mail is ham, mail refused for DMARC is spam.
        for (var i = 0; i < Learned; i++)
        {
            await SendWithBodyAsync(PartnerServer, "bob@partner.test", "bob@partner.test", $"Build {i}", Work);
            await SendWithBodyAsync(Elsewhere, "someone@partner.test", "someone@partner.test", $"You won {i}", Junk);
        }

        await internalServer!.WaitForMessagesAsync(Learned, TimeSpan.FromSeconds(30));
        await WaitForLearnedAsync(Learned);

        var spam = await SendWithBodyAsync(PartnerServer, "dev-bounces@partner.test", "mallory@bank.test", "[dev] Winner", Junk, ListHeaders);
        var ham = await SendWithBodyAsync(PartnerServer, "dev-bounces@partner.test", "carol@bank.test", "[dev] Re: Build", Work, ListHeaders);

        Assert.Equal(0, spam.ExitCode);
        Assert.Equal(0, ham.ExitCode);
        var delivered = await internalServer!.WaitForMessagesAsync(Learned + 1, TimeSpan.FromSeconds(30));
        Assert.Equal("[dev] Re: Build", Parse(delivered[^1]).Subject);
        var queue = await moat!.RunCommandAsync("queue", "list");
        Assert.Contains("held: " + ListContentCheck.HoldReason, queue.StandardOutput);
        await Task.Delay(TimeSpan.FromSeconds(1));
        Assert.Equal(Learned + 1, internalServer!.Messages().Count);
    }

    private Task<SwaksResult> SendWithBodyAsync(string sourceAddress, string envelope, string from, string subject, string body, params string[] extra) =>
        Swaks.RunAsync(
            configuration.SmtpPort(),
            new[]
            {
                "--local-interface", sourceAddress, "--helo", sourceAddress == PartnerServer ? "mx.partner.test" : "client.example.net",
                "--from", envelope, "--to", "alice@example.test",
                "--header", $"From: {from}", "--header", $"Subject: {subject}", "--body", body,
            }.Concat(extra).ToArray());

    /// <summary>Learning is written in the background; the statistics are read from the gateway's database.</summary>
    private async Task WaitForLearnedAsync(long each)
    {
        using var storage = SqliteStorage.Open(Path.Combine(moat!.DataDirectory, SqliteStorage.DefaultFileName));
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while ((await storage.Tokens.GetTotalsAsync(default)) is var totals && (totals.Ham < each || totals.Spam < each))
        {
            Assert.True(DateTime.UtcNow < deadline, $"learned only {totals}");
            await Task.Delay(100);
        }
    }

    [Fact]
    public async Task ADkimSignedMessageIsAuthenticatedFromAnyAddress()
    {
        await SendAsync(OurUsers, "alice@example.test", "bob@partner.test", "Lunch?");
        await internet!.WaitForMessagesAsync(1, TimeSpan.FromSeconds(30));
        var signed = new MimeMessage();
        signed.From.Add(MailboxAddress.Parse("bob@partner.test"));
        signed.To.Add(MailboxAddress.Parse("alice@example.test"));
        signed.Subject = "Signed, sent through a mailing service";
        signed.Date = DateTimeOffset.UtcNow;
        signed.MessageId = "signed-1@partner.test";
        signed.Body = new TextPart("plain") { Text = "Hello from a host SPF does not list.\n" };
        var signer = new DkimSigner(dkimKey!.Private, "partner.test", "sel")
        {
            HeaderCanonicalizationAlgorithm = DkimCanonicalizationAlgorithm.Relaxed,
            BodyCanonicalizationAlgorithm = DkimCanonicalizationAlgorithm.Relaxed,
        };
        signer.Sign(signed, [HeaderId.From, HeaderId.To, HeaderId.Subject, HeaderId.Date, HeaderId.MessageId]);
        var path = Path.Combine(files.Path, "signed.eml");
        await File.WriteAllTextAsync(path, signed.ToString());

        var result = await Swaks.RunAsync(configuration.SmtpPort(), "--local-interface", Elsewhere, "--from", "bounces@mailer.test", "--to", "alice@example.test", "--data", path);

        Assert.Equal(0, result.ExitCode);
        var message = Parse(Assert.Single(await internalServer!.WaitForMessagesAsync(1, TimeSpan.FromSeconds(30))));
        Assert.Equal("trusted; source=learned", message.Headers["X-Sender-Trust"]);
        Assert.Contains("dkim=pass", message.Headers["Authentication-Results"]);
        Assert.Contains("dmarc=pass", message.Headers["Authentication-Results"]);
    }

    [Fact]
    public async Task AForgedTrustedAddressFromAnUnauthorisedHostIsNotTrusted()
    {
        await SendAsync(OurUsers, "alice@example.test", "ceo@bank.test", "Invoice");
        await internet!.WaitForMessagesAsync(1, TimeSpan.FromSeconds(30));

        // bank.test's DMARC policy is "none", so only the trust decision stands between the forgery and alice.
        var forged = await SendAsync(Elsewhere, "ceo@bank.test", "alice@example.test", "Urgent wire transfer");

        Assert.Equal(0, forged.ExitCode);
        var queue = await moat!.RunCommandAsync("queue", "list");
        Assert.Contains("held: unknown sender", queue.StandardOutput);
        await Task.Delay(TimeSpan.FromSeconds(2));
        Assert.Empty(internalServer!.Messages());
        Assert.Single(internet.Messages());
        Assert.Contains("possible forgery: ceo@bank.test is on an allow-list but the message is not authenticated", moat.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnUnknownUnauthenticatedSenderFromADomainWithDmarcRejectIsRefusedDuringSmtp()
    {
        var result = await SendAsync(Elsewhere, "someone@partner.test", "alice@example.test", "Hello");

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains(result.ServerLines, line => line.StartsWith("550 5.7.1", StringComparison.Ordinal) && line.Contains("DMARC", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AnUnknownAuthenticatedSenderIsChallengedAndTheReplyReleasesTheMessage()
    {
        var first = await SendAsync(PartnerServer, "carol@stranger.test", "alice@example.test", "Meeting next week");
        Assert.Equal(0, first.ExitCode);

        var challenge = Assert.Single(await internet!.WaitForMessagesAsync(1, TimeSpan.FromSeconds(30)));
        Assert.Equal(string.Empty, challenge.MailFrom);
        Assert.Equal(["carol@stranger.test"], challenge.Recipients);
        var challengeMessage = Parse(challenge);
        Assert.Equal("auto-replied", challengeMessage.Headers[HeaderId.AutoSubmitted]);
        Assert.DoesNotContain("body of the original", challengeMessage.TextBody);
        Assert.Empty(internalServer!.Messages());

        var reply = await SendAsync(PartnerServer, "carol@stranger.test", challengeMessage.From.Mailboxes.Single().Address, "Re: " + challengeMessage.Subject);

        Assert.Equal(0, reply.ExitCode);
        var released = Assert.Single(await internalServer.WaitForMessagesAsync(1, TimeSpan.FromSeconds(30)));
        Assert.Contains("Meeting next week", Encoding.UTF8.GetString(released.Content));

        await SendAsync(PartnerServer, "carol@stranger.test", "alice@example.test", "Agenda");
        var next = await internalServer.WaitForMessagesAsync(2, TimeSpan.FromSeconds(30));
        Assert.Equal("trusted; source=challenge", Parse(next[1]).Headers["X-Sender-Trust"]);
        Assert.Single(internet.Messages());
    }

    [Fact]
    public async Task TheConfirmationLinkConfirmsOnlyWhenTheButtonIsPressed()
    {
        await SendAsync(PartnerServer, "dave@stranger.test", "alice@example.test", "Question");
        var challenge = Parse(Assert.Single(await internet!.WaitForMessagesAsync(1, TimeSpan.FromSeconds(30))));
        var link = challenge.TextBody!.Split(['\n', ' '], StringSplitOptions.RemoveEmptyEntries).Single(word => word.StartsWith("http://", StringComparison.Ordinal));
        using var http = new HttpClient();

        var page = await http.GetAsync(link);
        var html = await page.Content.ReadAsStringAsync();
        Assert.Contains("<form method=\"post\"", html);
        Assert.Equal("no-referrer", page.Headers.GetValues("Referrer-Policy").Single());
        await Task.Delay(TimeSpan.FromSeconds(1.5));
        Assert.Empty(internalServer!.Messages());

        var confirmed = await http.PostAsync(link, HtmlForm.Fill(html));
        Assert.Contains("Thank you", await confirmed.Content.ReadAsStringAsync());
        Assert.Single(await internalServer.WaitForMessagesAsync(1, TimeSpan.FromSeconds(30)));
        var log = await moat!.RunCommandAsync("audit-log", "list", "--subject", "alice@example.test");
        Assert.Contains("the sender answered the challenge", log.StandardOutput);

        var again = await http.PostAsync(link, HtmlForm.Fill(html));
        Assert.Contains("Already confirmed", await again.Content.ReadAsStringAsync());
        var forged = await http.PostAsync(link[..^4] + "0000", HtmlForm.Fill(html));
        Assert.Equal(System.Net.HttpStatusCode.NotFound, forged.StatusCode);
    }

    [Fact]
    public async Task AConfirmationWithoutThePagesStampIsRefused()
    {
        await SendAsync(PartnerServer, "erin@stranger.test", "alice@example.test", "Scripted");
        var challenge = Parse(Assert.Single(await internet!.WaitForMessagesAsync(1, TimeSpan.FromSeconds(30))));
        var link = challenge.TextBody!.Split(['\n', ' '], StringSplitOptions.RemoveEmptyEntries).Single(word => word.StartsWith("http://", StringComparison.Ordinal));
        using var http = new HttpClient();
        var html = await (await http.GetAsync(link)).Content.ReadAsStringAsync();

        var tooFast = await http.PostAsync(link, HtmlForm.Fill(html));
        Assert.DoesNotContain("Thank you", await tooFast.Content.ReadAsStringAsync());
        await Task.Delay(TimeSpan.FromSeconds(1.5));
        var trapFilled = await http.PostAsync(link, HtmlForm.Fill(html, ("website", "http://spam.test")));
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, trapFilled.StatusCode);
        var noStamp = await http.PostAsync(link, HtmlForm.Fill(html, ("shown", "")));
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, noStamp.StatusCode);

        Assert.Empty(internalServer!.Messages());
    }

    [Fact]
    public async Task AFloodWithForgedEnvelopeSendersProducesNoChallenge()
    {
        for (var i = 0; i < 10; i++)
        {
            // stranger.test's SPF allows only 127.0.0.3: from anywhere else these senders are forged.
            var result = await SendAsync(Elsewhere, $"victim{i}@stranger.test", "alice@example.test", $"Spam {i}");
            Assert.Equal(0, result.ExitCode);
        }

        await SendAsync(Elsewhere, string.Empty, "alice@example.test", "Bounce");
        await SendAsync(PartnerServer, "news@stranger.test", "alice@example.test", "Newsletter", "--add-header", "List-Id: <news.stranger.test>");

        var queue = await moat!.RunCommandAsync("queue", "list");
        Assert.Equal(12, CountOccurrences(queue.StandardOutput, "held: unknown sender"));
        await Task.Delay(TimeSpan.FromSeconds(3));
        Assert.Empty(internet!.Messages());
        Assert.Empty(internalServer!.Messages());
    }

    [Fact]
    public async Task AChallengeReplyMustComeInATransactionOfItsOwnAndForgedTokensAreRefused()
    {
        var forged = await Swaks.RunAsync(configuration.SmtpPort(), "--local-interface", PartnerServer, "--helo", "mx.partner.test", "--from", "carol@stranger.test", "--to", $"confirm+0123456789abcdef.zz.0123456789abcdef@example.test", "--quit-after", "RCPT");
        Assert.Contains(forged.ServerLines, line => line.StartsWith("550 5.1.1", StringComparison.Ordinal));

        await SendAsync(PartnerServer, "erin@stranger.test", "alice@example.test", "Hi");
        var challenge = Parse(Assert.Single(await internet!.WaitForMessagesAsync(1, TimeSpan.FromSeconds(30))));
        var mixed = await Swaks.RunAsync(configuration.SmtpPort(), "--local-interface", PartnerServer, "--helo", "mx.partner.test", "--from", "erin@stranger.test", "--to", $"alice@example.test,{challenge.From.Mailboxes.Single().Address}", "--quit-after", "RCPT");
        Assert.Contains(mixed.ServerLines, line => line.StartsWith("452 4.5.3", StringComparison.Ordinal));
    }

    private Task<SwaksResult> SendAsync(string sourceAddress, string from, string to, string subject, params string[] extra) =>
        Swaks.RunAsync(
            configuration.SmtpPort(),
            new[]
            {
                "--local-interface", sourceAddress, "--helo", sourceAddress == PartnerServer ? "mx.partner.test" : "client.example.net",
                "--from", from.Length == 0 ? "<>" : from, "--to", to,
                "--header", $"Subject: {subject}", "--header", $"From: {(from.Length == 0 ? "mailer-daemon@stranger.test" : from)}",
                "--body", "This is the body of the original message.",
            }.Concat(extra).ToArray());

    private static MimeMessage Parse(ReceivedMessage message) => MimeMessage.Load(new MemoryStream(message.Content));

    private static int CountOccurrences(string text, string value) =>
        (text.Length - text.Replace(value, string.Empty, StringComparison.Ordinal).Length) / value.Length;

    private static AsymmetricKeyPair CreateDkimKey()
    {
        var generator = new RsaKeyPairGenerator();
        generator.Init(new Org.BouncyCastle.Crypto.KeyGenerationParameters(new SecureRandom(), 1024));
        var pair = generator.GenerateKeyPair();
        var publicKey = SubjectPublicKeyInfoFactory.CreateSubjectPublicKeyInfo(pair.Public).GetDerEncoded();
        return new AsymmetricKeyPair((RsaPrivateCrtKeyParameters)pair.Private, Convert.ToBase64String(publicKey));
    }
}
