using Moat.Audit.Probing;

namespace Moat.Audit.Tests.Probing;

public sealed class EhloKeywordsTests
{
    [Fact]
    public void Keywords_are_the_first_words_after_the_greeting_line_in_order()
    {
        string[] ehlo = ["250-mx.example.org", "250-PIPELINING", "250-SIZE 10240000", "250-auth PLAIN LOGIN", "250-AUTH=PLAIN LOGIN", "250 8BITMIME"];

        Assert.Equal(["PIPELINING", "SIZE", "AUTH", "AUTH=PLAIN", "8BITMIME"], EhloKeywords.Parse(ehlo));
    }

    [Fact]
    public void Auth_mechanisms_come_from_both_spellings_without_duplicates()
    {
        string[] ehlo = ["250-mx.example.org", "250-AUTH PLAIN LOGIN", "250-AUTH=LOGIN CRAM-MD5", "250 STARTTLS"];

        Assert.Equal(["PLAIN", "LOGIN", "CRAM-MD5"], EhloKeywords.AuthMechanisms(ehlo));
    }

    [Fact]
    public void An_empty_last_line_or_a_helo_reply_gives_no_keywords()
    {
        Assert.Equal(["PIPELINING"], EhloKeywords.Parse(["250-smtp-sink", "250-PIPELINING", "250 "]));
        Assert.Empty(EhloKeywords.Parse(["250 mx.example.org"]));
        Assert.Empty(EhloKeywords.AuthMechanisms(["250 mx.example.org"]));
    }
}
