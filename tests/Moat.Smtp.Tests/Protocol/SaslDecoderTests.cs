using System.Text;
using Moat.Smtp.Protocol;

namespace Moat.Smtp.Tests.Protocol;

public sealed class SaslDecoderTests
{
    private static byte[] Bytes(string text) => Encoding.UTF8.GetBytes(text);

    private static string Base64(string text) => Convert.ToBase64String(Bytes(text));

    [Theory]
    [InlineData("\0alice\0wonderland", "", "alice", "wonderland")]
    [InlineData("alice\0alice\0wonderland", "alice", "alice", "wonderland")]
    [InlineData("bob\0alice\0wonderland", "bob", "alice", "wonderland")]
    [InlineData("\0jürgen\0pässwört", "", "jürgen", "pässwört")]
    [InlineData("\0alice\0pass word\twith tab", "", "alice", "pass word\twith tab")]
    public void Plain_messages_are_split_into_their_three_fields(string message, string authzid, string user, string password)
    {
        Assert.True(SaslDecoder.TryDecodePlain(Bytes(message), out var decodedAuthzid, out var decodedUser, out var decodedPassword));
        Assert.Equal(authzid, decodedAuthzid);
        Assert.Equal(user, decodedUser);
        Assert.Equal(password, decodedPassword);
    }

    [Theory]
    [InlineData("")]
    [InlineData("alice")]
    [InlineData("\0alice")]
    [InlineData("\0alice\0")]
    [InlineData("\0\0wonderland")]
    [InlineData("\0alice\0wonder\0land")]
    [InlineData("\0alice\0wonder\rland")]
    [InlineData("\0alice\0wonder\nland")]
    [InlineData("\0ali\r\nce\0wonderland")]
    [InlineData("bo\nb\0alice\0wonderland")]
    public void Malformed_plain_messages_are_refused(string message)
    {
        Assert.False(SaslDecoder.TryDecodePlain(Bytes(message), out _, out _, out _));
    }

    [Fact]
    public void Plain_fields_must_be_valid_utf8()
    {
        byte[] message = [0, (byte)'a', 0xC3, 0x28, 0, (byte)'p'];

        Assert.False(SaslDecoder.TryDecodePlain(message, out _, out _, out _));
    }

    [Fact]
    public void Fields_are_bounded_at_one_kibibyte()
    {
        var longest = new string('x', SaslDecoder.MaxFieldBytes);
        Assert.True(SaslDecoder.TryDecodePlain(Bytes($"\0alice\0{longest}"), out _, out _, out var password));
        Assert.Equal(longest, password);

        Assert.False(SaslDecoder.TryDecodePlain(Bytes($"\0alice\0{longest}x"), out _, out _, out _));
        Assert.False(SaslDecoder.TryDecodePlain(Bytes($"\0{longest}x\0wonderland"), out _, out _, out _));
        Assert.False(SaslDecoder.TryDecodePlain(Bytes($"{longest}x\0alice\0wonderland"), out _, out _, out _));

        // The bound is in bytes: 512 two-byte characters fit, 513 do not.
        Assert.True(SaslDecoder.TryDecodeField(Bytes(new string('ä', 512)), out _));
        Assert.False(SaslDecoder.TryDecodeField(Bytes(new string('ä', 513)), out _));
    }

    [Theory]
    [InlineData("alice", true)]
    [InlineData("jürgen", true)]
    [InlineData("", false)]
    [InlineData("al\0ice", false)]
    [InlineData("al\rice", false)]
    [InlineData("al\nice", false)]
    public void Login_fields_are_utf8_without_nul_or_line_breaks(string field, bool valid)
    {
        Assert.Equal(valid, SaslDecoder.TryDecodeField(Bytes(field), out var value));
        Assert.Equal(valid ? field : null, value);
    }

    [Theory]
    [InlineData("AGFsaWNlAHdvbmRlcmxhbmQ=", "\0alice\0wonderland")]
    [InlineData("YWxpY2U=", "alice")]
    [InlineData("YWxpY2Ux", "alice1")]
    [InlineData("YQ==", "a")]
    [InlineData("", "")]
    public void Responses_are_strict_base64(string line, string expected)
    {
        var response = SaslDecoder.DecodeResponse(Bytes(line));

        Assert.Equal(SaslResponseKind.Data, response.Kind);
        Assert.Equal(expected, Encoding.UTF8.GetString(response.Data.Span));
    }

    [Theory]
    [InlineData("YWxpY2U")]
    [InlineData("YWxp Y2U=")]
    [InlineData(" YWxpY2U=")]
    [InlineData("YWxpY2U=\t")]
    [InlineData("YW=pY2U=")]
    [InlineData("YWxpY2U==")]
    [InlineData("====")]
    [InlineData("YWxpY2U-")]
    [InlineData("=")]
    [InlineData("**")]
    [InlineData("not base64!")]
    public void Anything_else_is_malformed(string line)
    {
        Assert.Equal(SaslResponseKind.Malformed, SaslDecoder.DecodeResponse(Bytes(line)).Kind);
    }

    [Fact]
    public void A_star_cancels()
    {
        Assert.Same(SaslResponse.Cancelled, SaslDecoder.DecodeResponse("*"u8));
    }

    [Fact]
    public void An_initial_response_of_equals_is_empty_and_a_star_is_not_a_cancel()
    {
        Assert.Same(SaslResponse.Empty, SaslDecoder.DecodeInitialResponse("="));
        Assert.Equal(SaslResponseKind.Malformed, SaslDecoder.DecodeInitialResponse("*").Kind);
        Assert.Equal(SaslResponseKind.Malformed, SaslDecoder.DecodeInitialResponse("YWxpY2Ué").Kind);
        Assert.Equal("alice", Encoding.UTF8.GetString(SaslDecoder.DecodeInitialResponse(Base64("alice")).Data.Span));
    }

    [Fact]
    public void Responses_never_show_their_bytes()
    {
        var response = SaslDecoder.DecodeResponse(Bytes(Base64("\0alice\0wonderland")));

        Assert.Equal("Data (17 bytes)", response.ToString());
    }

    [Fact]
    public void Credentials_never_show_the_password()
    {
        var credentials = new SmtpCredentials("PLAIN", "alice", "wonderland");

        Assert.Equal("SmtpCredentials { Mechanism = PLAIN, UserName = alice }", credentials.ToString());
        Assert.DoesNotContain("wonderland", $"{credentials}");
    }
}
