using System.Net;
using MimeKit;
using Moat.Testing;
using Moat.Trust.Authentication;
using Moat.Trust.Tests.Authentication.Support;
using Org.BouncyCastle.Crypto;

namespace Moat.Trust.Tests.Authentication;

public sealed class SenderAuthenticatorTests(SenderAuthenticatorTests.Zones dns) : IClassFixture<SenderAuthenticatorTests.Zones>, IDisposable
{
    private static readonly IPAddress Sender = IPAddress.Parse("127.0.0.1");
    private static readonly IPAddress Stranger = IPAddress.Parse("127.0.0.66");

    private readonly SenderAuthenticator authenticator = new(new SpfEvaluator(dns.Dns), new DkimChecker(dns.Dns), new DmarcEvaluator(dns.Dns));
    private readonly TempFolder folder = new("moat-auth");

    public void Dispose() => folder.Dispose();

    [Fact]
    public async Task A_signed_message_from_an_authorised_server_passes_everything()
    {
        var path = Signed(TestMessages.Create("Alice <alice@sender.test>"));

        var result = await AuthenticateAsync(Sender, "mail.sender.test", "alice@Sender.Test", path);

        Assert.Equal(new SpfOutcome(SpfResult.Pass, "sender.test", null), result.Spf);
        Assert.Equal([new DkimOutcome(DkimResult.Pass, "sender.test", "sel", null)], result.Dkim);
        Assert.Equal(new DmarcOutcome(DmarcResult.Pass, "sender.test", "sender.test", DmarcPolicy.Reject, true, true), result.Dmarc);
        Assert.Equal("alice@sender.test", result.FromAddress);
        Assert.Equal("sender.test", result.FromDomain);
        Assert.Equal(SpfIdentity.MailFrom, result.SpfIdentity);
        Assert.True(result.IsAuthenticatedAndAligned);
        Assert.True(result.IsEnvelopeDomainAuthenticated("sender.test"));
        Assert.Equal(
            "mx.receiver.test; spf=pass smtp.mailfrom=sender.test; dkim=pass header.d=sender.test header.s=sel; dmarc=pass header.from=sender.test",
            AuthenticationResultsHeader.Format("mx.receiver.test", result));
    }

    [Fact]
    public async Task A_forged_unsigned_message_fails_dmarc_with_the_domains_policy()
    {
        var path = TestMessages.Write(TestMessages.Create("Alice <alice@sender.test>"), folder);

        var result = await AuthenticateAsync(Stranger, "evil.test", "alice@sender.test", path);

        Assert.Equal(SpfResult.Fail, result.Spf.Result);
        Assert.Empty(result.Dkim);
        Assert.Equal(new DmarcOutcome(DmarcResult.Fail, "sender.test", "sender.test", DmarcPolicy.Reject, false, false), result.Dmarc);
        Assert.False(result.IsAuthenticatedAndAligned);
        Assert.False(result.IsEnvelopeDomainAuthenticated("sender.test"));
    }

    [Fact]
    public async Task A_dkim_signature_still_authenticates_mail_relayed_by_another_server()
    {
        var path = Signed(TestMessages.Create("Alice <alice@sender.test>"));

        var result = await AuthenticateAsync(Stranger, "list.test", "bounces@list.test", path);

        Assert.Equal(SpfResult.None, result.Spf.Result);
        Assert.Equal(DmarcResult.Pass, result.Dmarc!.Result);
        Assert.True(result.IsAuthenticatedAndAligned);
        Assert.True(result.IsEnvelopeDomainAuthenticated("sender.test"));
        Assert.False(result.IsEnvelopeDomainAuthenticated("list.test"));
    }

    [Fact]
    public async Task The_null_sender_is_checked_by_its_helo_name()
    {
        var path = TestMessages.Write(TestMessages.Create("MAILER-DAEMON <mailer-daemon@mail.sender.test>"), folder);

        var result = await AuthenticateAsync(Sender, "mail.sender.test", string.Empty, path);

        Assert.Equal(new SpfOutcome(SpfResult.Pass, "mail.sender.test", null), result.Spf);
        Assert.Equal(SpfIdentity.Helo, result.SpfIdentity);
        Assert.StartsWith("mx.receiver.test; spf=pass smtp.helo=mail.sender.test; dkim=none; dmarc=", AuthenticationResultsHeader.Format("mx.receiver.test", result));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("[127.0.0.1]")]
    [InlineData("localhost")]
    public async Task The_null_sender_without_a_usable_helo_name_has_no_spf_result(string? helo)
    {
        var path = TestMessages.Write(TestMessages.Create(), folder);

        var result = await AuthenticateAsync(Sender, helo, "<>", path);

        Assert.Equal(SpfResult.None, result.Spf.Result);
    }

    [Theory]
    [InlineData("Alice <alice@sender.test>, Mallory <mallory@evil.test>")]
    [InlineData("Team: alice@sender.test, bob@sender.test;")]
    [InlineData("undisclosed")]
    public async Task Without_exactly_one_from_address_dmarc_is_permerror(string from)
    {
        var path = TestMessages.Write(TestMessages.Create(from), folder);

        var result = await AuthenticateAsync(Sender, "mail.sender.test", "alice@sender.test", path);

        Assert.Null(result.FromAddress);
        Assert.Null(result.FromDomain);
        Assert.Equal(DmarcResult.PermError, result.Dmarc!.Result);
        Assert.False(result.IsAuthenticatedAndAligned);
        Assert.True(result.IsEnvelopeDomainAuthenticated("sender.test"));
    }

    [Fact]
    public async Task Two_from_fields_are_not_one_from_address()
    {
        var message = TestMessages.Create("Alice <alice@sender.test>");
        message.Headers.Add(HeaderId.From, "Mallory <mallory@evil.test>");
        var path = TestMessages.Write(message, folder);

        var result = await AuthenticateAsync(Sender, "mail.sender.test", "alice@sender.test", path);

        Assert.Null(result.FromDomain);
        Assert.Equal(DmarcResult.PermError, result.Dmarc!.Result);
    }

    [Fact]
    public async Task An_unparsable_message_gives_no_dkim_and_no_from()
    {
        var path = folder.Combine("empty.eml");
        await File.WriteAllTextAsync(path, string.Empty);

        var result = await AuthenticateAsync(Sender, "mail.sender.test", "alice@sender.test", path);

        Assert.Equal(SpfResult.Pass, result.Spf.Result);
        Assert.Empty(result.Dkim);
        Assert.Null(result.FromDomain);
    }

    [Fact]
    public async Task Disposes_the_message_stream()
    {
        var path = Signed(TestMessages.Create("Alice <alice@sender.test>"));
        FileStream? opened = null;

        await authenticator.AuthenticateAsync(Sender, "mail.sender.test", "alice@sender.test", _ =>
        {
            opened = File.OpenRead(path);
            return ValueTask.FromResult<Stream>(opened);
        }, CancellationToken.None);

        Assert.False(opened!.CanRead);
    }

    private string Signed(MimeMessage message)
    {
        TestMessages.Sign(message, dns.Key.Private, "sender.test", "sel");
        return TestMessages.Write(message, folder);
    }

    private Task<SenderAuthentication> AuthenticateAsync(IPAddress client, string? helo, string mailFrom, string path) =>
        authenticator.AuthenticateAsync(client, helo, mailFrom, _ => ValueTask.FromResult<Stream>(File.OpenRead(path)), CancellationToken.None);

    public sealed class Zones : DnsFixture
    {
        public AsymmetricCipherKeyPair Key { get; } = TestMessages.RsaKey(1024);

        protected override DnsZone[] CreateZones() =>
        [
            new DnsZone("test")
                .Txt("sender", "v=spf1 ip4:127.0.0.1 -all")
                .Txt("_dmarc.sender", "v=DMARC1; p=reject")
                .Txt("sel._domainkey.sender", TestMessages.KeyRecord(Key.Public))
                .Txt("mail.sender", "v=spf1 a -all")
                .A("mail.sender", "127.0.0.1")
                .Txt("evil", "v=spf1 -all"),
        ];
    }
}
