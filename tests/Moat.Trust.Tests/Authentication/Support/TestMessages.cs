using System.Text;
using MimeKit;
using MimeKit.Cryptography;
using Moat.Testing;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Generators;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Security;
using Org.BouncyCastle.X509;

namespace Moat.Trust.Tests.Authentication.Support;

/// <summary>Keys, DNS key records and DKIM-signed messages written to disk as a spool would hold them.</summary>
internal static class TestMessages
{
    public const string Body = "Hello Bob,\r\n\r\nthe quarterly figures are attached in spirit.\r\n";

    public static AsymmetricCipherKeyPair RsaKey(int bits)
    {
        var generator = new RsaKeyPairGenerator();
        generator.Init(new KeyGenerationParameters(new SecureRandom(), bits));
        return generator.GenerateKeyPair();
    }

    public static AsymmetricCipherKeyPair Ed25519Key()
    {
        var generator = new Ed25519KeyPairGenerator();
        generator.Init(new Ed25519KeyGenerationParameters(new SecureRandom()));
        return generator.GenerateKeyPair();
    }

    /// <summary>The TXT record publishing a public key (RFC 6376 §3.6.1, RFC 8463 for ed25519).</summary>
    public static string KeyRecord(AsymmetricKeyParameter publicKey) => publicKey switch
    {
        Ed25519PublicKeyParameters ed => "v=DKIM1; k=ed25519; p=" + Convert.ToBase64String(ed.GetEncoded()),
        _ => "v=DKIM1; k=rsa; p=" + Convert.ToBase64String(SubjectPublicKeyInfoFactory.CreateSubjectPublicKeyInfo(publicKey).GetDerEncoded()),
    };

    public static MimeMessage Create(string from = "Alice <alice@signer.test>", string subject = "Figures")
    {
        var message = new MimeMessage();
        message.Headers.Replace(HeaderId.From, from);
        message.To.Add(MailboxAddress.Parse("bob@receiver.test"));
        message.Subject = subject;
        message.MessageId = "<figures-1@signer.test>";
        message.Date = new DateTimeOffset(2025, 1, 2, 3, 4, 5, TimeSpan.Zero);
        message.Body = new TextPart("plain") { Text = Body };
        return message;
    }

    /// <summary>Signs with relaxed/relaxed canonicalization (or as given) and adds the DKIM-Signature on top.</summary>
    public static void Sign(
        MimeMessage message,
        AsymmetricKeyParameter privateKey,
        string domain,
        string selector,
        DkimSignatureAlgorithm algorithm = DkimSignatureAlgorithm.RsaSha256,
        Action<DkimSigner>? configure = null)
    {
        var signer = new DkimSigner(privateKey, domain, selector, algorithm)
        {
            HeaderCanonicalizationAlgorithm = DkimCanonicalizationAlgorithm.Relaxed,
            BodyCanonicalizationAlgorithm = DkimCanonicalizationAlgorithm.Relaxed,
        };
        configure?.Invoke(signer);
        signer.Sign(Crlf, message, [HeaderId.From, HeaderId.To, HeaderId.Subject, HeaderId.Date, HeaderId.MessageId]);
    }

    /// <summary>Writes the message with CRLF line ends into the folder and returns the file's path.</summary>
    public static string Write(MimeMessage message, TempFolder folder)
    {
        var path = folder.Combine(Guid.NewGuid().ToString("N") + ".eml");
        using var file = File.Create(path);
        message.WriteTo(Crlf, file);
        return path;
    }

    /// <summary>Replaces the first occurrence of some text in a written message (a tamperer in transit).</summary>
    public static void Tamper(string path, string find, string replace)
    {
        var text = File.ReadAllText(path, Encoding.ASCII);
        var index = text.IndexOf(find, StringComparison.Ordinal);
        Assert.True(index >= 0, $"'{find}' is not in the message");
        File.WriteAllText(path, text[..index] + replace + text[(index + find.Length)..], Encoding.ASCII);
    }

    private static FormatOptions Crlf { get; } = CreateCrlf();

    private static FormatOptions CreateCrlf()
    {
        var options = FormatOptions.Default.Clone();
        options.NewLineFormat = NewLineFormat.Dos;
        return options;
    }
}
