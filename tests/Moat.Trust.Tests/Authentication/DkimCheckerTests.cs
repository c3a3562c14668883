using System.Text.RegularExpressions;
using MimeKit.Cryptography;
using Moat.Testing;
using Moat.Trust.Authentication;
using Moat.Trust.Tests.Authentication.Support;
using Org.BouncyCastle.Crypto;

namespace Moat.Trust.Tests.Authentication;

public sealed class DkimCheckerTests(DkimCheckerTests.Zones dns) : IClassFixture<DkimCheckerTests.Zones>, IDisposable
{
    private readonly DkimChecker checker = new(dns.Dns);
    private readonly TempFolder folder = new("moat-dkim");

    public void Dispose() => folder.Dispose();

    [Fact]
    public async Task A_signature_verifies_against_a_2048_bit_key_published_in_several_strings()
    {
        var outcomes = await SignAndVerifyAsync(dns.Rsa.Private, "sel");

        Assert.Equal([new DkimOutcome(DkimResult.Pass, "signer.test", "sel", null)], outcomes);
    }

    [Fact]
    public async Task An_ed25519_signature_verifies()
    {
        var outcomes = await SignAndVerifyAsync(dns.Ed25519.Private, "ed", DkimSignatureAlgorithm.Ed25519Sha256);

        Assert.Equal(DkimResult.Pass, Assert.Single(outcomes).Result);
    }

    [Fact]
    public async Task A_simple_canonicalization_signature_verifies()
    {
        var outcomes = await SignAndVerifyAsync(dns.Rsa.Private, "sel", configure: signer =>
        {
            signer.HeaderCanonicalizationAlgorithm = DkimCanonicalizationAlgorithm.Simple;
            signer.BodyCanonicalizationAlgorithm = DkimCanonicalizationAlgorithm.Simple;
        });

        Assert.Equal(DkimResult.Pass, Assert.Single(outcomes).Result);
    }

    [Fact]
    public async Task A_changed_body_fails_the_body_hash()
    {
        var path = SignedMessage(dns.Rsa.Private, "sel");
        TestMessages.Tamper(path, "quarterly", "quarterlx");

        var outcome = Assert.Single(await VerifyAsync(path));

        Assert.Equal(new DkimOutcome(DkimResult.Fail, "signer.test", "sel", "body hash did not verify"), outcome);
    }

    [Fact]
    public async Task A_changed_signed_header_fails_the_signature()
    {
        var path = SignedMessage(dns.Rsa.Private, "sel");
        TestMessages.Tamper(path, "Subject: Figures", "Subject: Invoice");

        var outcome = Assert.Single(await VerifyAsync(path));

        Assert.Equal(new DkimOutcome(DkimResult.Fail, "signer.test", "sel", "signature did not verify"), outcome);
    }

    [Fact]
    public async Task A_signature_by_another_key_fails()
    {
        var outcome = Assert.Single(await SignAndVerifyAsync(dns.Other.Private, "sel"));

        Assert.Equal(DkimResult.Fail, outcome.Result);
        Assert.Equal("signature did not verify", outcome.Reason);
    }

    [Theory]
    [InlineData("revoked", "key revoked")]
    [InlineData("missing", "no key for signature")]
    [InlineData("twice", "more than one key record")]
    [InlineData("garbage", "invalid public key")]
    [InlineData("wrongtype", "unsupported key type")]
    [InlineData("web", "key is not for email")]
    [InlineData("oldversion", "key record is not DKIM1")]
    [InlineData("short", "key shorter than 1024 bits")]
    public async Task Key_problems_are_permerror(string selector, string reason)
    {
        var outcome = Assert.Single(await SignAndVerifyAsync(dns.Rsa.Private, selector));

        Assert.Equal(new DkimOutcome(DkimResult.PermError, "signer.test", selector, reason), outcome);
    }

    [Fact]
    public async Task Rsa_sha1_is_not_accepted()
    {
        var outcome = Assert.Single(await SignAndVerifyAsync(dns.Rsa.Private, "sel", DkimSignatureAlgorithm.RsaSha1));

        Assert.Equal(DkimResult.PermError, outcome.Result);
        Assert.Equal("rsa-sha1 is not accepted", outcome.Reason);
    }

    [Fact]
    public async Task An_expired_signature_fails()
    {
        var path = SignedMessage(dns.Rsa.Private, "sel", configure: signer => signer.SignaturesExpireAfter = TimeSpan.FromHours(1));
        var later = new DkimChecker(dns.Dns) { TimeProvider = new FixedTime(DateTimeOffset.UtcNow.AddHours(2)) };
        await using var stream = File.OpenRead(path);

        var outcome = Assert.Single(await later.VerifyAsync(stream, CancellationToken.None));

        Assert.Equal(new DkimOutcome(DkimResult.Fail, "signer.test", "sel", "signature expired"), outcome);
        Assert.Equal(DkimResult.Pass, Assert.Single(await VerifyAsync(path)).Result);
    }

    [Fact]
    public async Task A_malformed_signature_is_permerror()
    {
        var message = TestMessages.Create();
        message.Headers.Add("DKIM-Signature", "v=1; a=rsa-sha256; d=signer.test; s=sel; h=from; bh=AAAA; b=AAAA; v=2");
        var outcome = Assert.Single(await VerifyAsync(TestMessages.Write(message, folder)));

        Assert.Equal(new DkimOutcome(DkimResult.PermError, null, null, "malformed signature"), outcome);
    }

    [Fact]
    public async Task A_signature_not_covering_from_is_permerror()
    {
        // MimeKit will not sign without From, so the signed-header list is edited afterwards.
        var path = SignedMessage(dns.Rsa.Private, "sel");
        var text = File.ReadAllText(path);
        File.WriteAllText(path, Regex.Replace(text, "h=from:", "h=", RegexOptions.IgnoreCase));

        var outcome = Assert.Single(await VerifyAsync(path));

        Assert.Equal(DkimResult.PermError, outcome.Result);
        Assert.Contains("From", outcome.Reason);
    }

    [Fact]
    public async Task Reports_each_signature_up_to_the_limit()
    {
        var message = TestMessages.Create();
        TestMessages.Sign(message, dns.Rsa.Private, "signer.test", "sel");
        TestMessages.Sign(message, dns.Ed25519.Private, "signer.test", "ed", DkimSignatureAlgorithm.Ed25519Sha256);
        TestMessages.Sign(message, dns.Rsa.Private, "signer.test", "revoked");
        var path = TestMessages.Write(message, folder);

        var all = await VerifyAsync(path);
        await using var stream = File.OpenRead(path);
        var limited = await new DkimChecker(dns.Dns) { MaxSignatures = 2 }.VerifyAsync(stream, CancellationToken.None);

        // The most recent signature is on top.
        Assert.Equal([DkimResult.PermError, DkimResult.Pass, DkimResult.Pass], all.Select(o => o.Result));
        Assert.Equal(["revoked", "ed"], limited.Select(o => o.Selector));
    }

    [Fact]
    public async Task An_unsigned_message_has_no_outcomes()
    {
        Assert.Empty(await VerifyAsync(TestMessages.Write(TestMessages.Create(), folder)));
    }

    [Fact]
    public async Task A_dns_failure_is_temperror()
    {
        var offline = new DkimChecker(TestLookup.Unreachable());
        await using var stream = File.OpenRead(SignedMessage(dns.Rsa.Private, "sel"));

        var outcome = Assert.Single(await offline.VerifyAsync(stream, CancellationToken.None));

        Assert.Equal(new DkimOutcome(DkimResult.TempError, "signer.test", "sel", "key lookup failed"), outcome);
    }

    private async Task<IReadOnlyList<DkimOutcome>> SignAndVerifyAsync(
        AsymmetricKeyParameter key,
        string selector,
        DkimSignatureAlgorithm algorithm = DkimSignatureAlgorithm.RsaSha256,
        Action<DkimSigner>? configure = null) =>
        await VerifyAsync(SignedMessage(key, selector, algorithm, configure));

    private string SignedMessage(
        AsymmetricKeyParameter key,
        string selector,
        DkimSignatureAlgorithm algorithm = DkimSignatureAlgorithm.RsaSha256,
        Action<DkimSigner>? configure = null)
    {
        var message = TestMessages.Create();
        TestMessages.Sign(message, key, "signer.test", selector, algorithm, configure);
        return TestMessages.Write(message, folder);
    }

    private async Task<IReadOnlyList<DkimOutcome>> VerifyAsync(string path)
    {
        await using var stream = File.OpenRead(path);
        return await checker.VerifyAsync(stream, CancellationToken.None);
    }

    private sealed class FixedTime(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }

    public sealed class Zones : DnsFixture
    {
        public AsymmetricCipherKeyPair Rsa { get; } = TestMessages.RsaKey(2048);

        public AsymmetricCipherKeyPair Other { get; } = TestMessages.RsaKey(1024);

        public AsymmetricCipherKeyPair Short { get; } = TestMessages.RsaKey(512);

        public AsymmetricCipherKeyPair Ed25519 { get; } = TestMessages.Ed25519Key();

        protected override DnsZone[] CreateZones()
        {
            var rsaRecord = TestMessages.KeyRecord(Rsa.Public);
            var rsaKey = rsaRecord[(rsaRecord.IndexOf("p=", StringComparison.Ordinal) + 2)..];
            Assert.True(rsaRecord.Length > 255);
            return
            [
                new DnsZone("test")
                    .Txt("sel._domainkey.signer", rsaRecord)
                    .Txt("ed._domainkey.signer", TestMessages.KeyRecord(Ed25519.Public))
                    .Txt("short._domainkey.signer", TestMessages.KeyRecord(Short.Public))
                    .Txt("revoked._domainkey.signer", "v=DKIM1; k=rsa; p=")
                    .Txt("twice._domainkey.signer", rsaRecord)
                    .Txt("twice._domainkey.signer", "v=DKIM1; p=" + rsaKey[..40])
                    .Txt("garbage._domainkey.signer", "v=DKIM1; k=rsa; p=bm90IGEga2V5")
                    .Txt("wrongtype._domainkey.signer", "v=DKIM1; k=dsa; p=" + rsaKey)
                    .Txt("web._domainkey.signer", "v=DKIM1; s=web; p=" + rsaKey)
                    .Txt("oldversion._domainkey.signer", "k=rsa; v=DKIM1; p=" + rsaKey),
            ];
        }
    }
}
