using Moat.Smtp.Protocol;

namespace Moat.Smtp.Tests.Protocol;

public sealed class SmtpPathParserTests
{
    private static SmtpPath Parse(string text, bool allowNull = true, bool allowBare = false)
    {
        var position = 0;
        Assert.True(SmtpPathParser.TryParse(text, ref position, allowNull, allowBare, out var path), $"should parse: {text}");
        Assert.Equal(text.Length, position);
        return path;
    }

    private static bool Fails(string text, bool allowNull = true, bool allowBare = false)
    {
        var position = 0;
        return !SmtpPathParser.TryParse(text, ref position, allowNull, allowBare, out _);
    }

    [Fact]
    public void Null_path_is_allowed_only_where_asked()
    {
        var path = Parse("<>");

        Assert.True(path.IsNull);
        Assert.Equal(string.Empty, path.Raw);
        Assert.True(Fails("<>", allowNull: false));
    }

    [Fact]
    public void Plain_mailbox()
    {
        var path = Parse("<user.name+tag@sub.example.org>");

        Assert.Equal("user.name+tag", path.LocalPart);
        Assert.Equal("sub.example.org", path.Domain);
        Assert.Null(path.SourceRoute);
        Assert.False(path.IsQuoted);
        Assert.Equal("user.name+tag@sub.example.org", path.Address);
    }

    [Fact]
    public void Source_route_is_recorded_and_left_out_of_the_address()
    {
        var path = Parse("<@a.example,@b.example:user@c.example>");

        Assert.Equal("@a.example,@b.example", path.SourceRoute);
        Assert.Equal("user@c.example", path.Address);
        Assert.Equal("@a.example,@b.example:user@c.example", path.Raw);
    }

    [Fact]
    public void Quoted_local_part_is_unquoted()
    {
        var path = Parse("<\"x@y\"@z.example>");

        Assert.True(path.IsQuoted);
        Assert.Equal("x@y", path.LocalPart);
        Assert.Equal("z.example", path.Domain);
        Assert.Equal("\"x@y\"@z.example", path.Address);
    }

    [Fact]
    public void Quoted_pair_and_angle_bracket_inside_quotes()
    {
        var path = Parse("<\"a\\\"b>c d\"@x.example>");

        Assert.Equal("a\"b>c d", path.LocalPart);
        Assert.Equal("\"a\\\"b>c d\"@x.example", path.Address);
    }

    [Theory]
    [InlineData("<user%other.example@relay.example>", "user%other.example")]
    [InlineData("<host!user@relay.example>", "host!user")]
    [InlineData("<a!b%c@relay.example>", "a!b%c")]
    public void Relay_hacks_are_recorded_not_judged(string text, string localPart)
    {
        Assert.Equal(localPart, Parse(text).LocalPart);
    }

    [Theory]
    [InlineData("<postmaster@[192.0.2.1]>", "[192.0.2.1]")]
    [InlineData("<postmaster@[IPv6:2001:db8::1]>", "[IPv6:2001:db8::1]")]
    [InlineData("<postmaster@[ipv6:::1]>", "[ipv6:::1]")]
    [InlineData("<postmaster@[x-tag:some-thing]>", "[x-tag:some-thing]")]
    public void Address_literals(string text, string domain)
    {
        var path = Parse(text);

        Assert.Equal(domain, path.Domain);
        Assert.True(path.IsAddressLiteral);
    }

    [Theory]
    [InlineData("<user@[256.0.0.1]>")]
    [InlineData("<user@[192.0.2]>")]
    [InlineData("<user@[IPv6:192.0.2.1]>")]
    [InlineData("<user@[IPv6:zz::1]>")]
    [InlineData("<user@[192.0.2.1>")]
    public void Bad_address_literals_fail(string text)
    {
        Assert.True(Fails(text));
    }

    [Theory]
    [InlineData("user@example.org")]
    [InlineData("<user@example.org")]
    [InlineData("<user example.org>")]
    [InlineData("<user@>")]
    [InlineData("<@example.org>")]
    [InlineData("<user@-bad.example>")]
    [InlineData("<user@bad-.example>")]
    [InlineData("<user@exa..mple>")]
    [InlineData("<user@example.org..>")]
    [InlineData("<user@.>")]
    [InlineData("<.user@example.org>")]
    [InlineData("<user.@example.org>")]
    [InlineData("<us..er@example.org>")]
    [InlineData("<\"unterminated@example.org>")]
    [InlineData("<@a.example:@b.example:user@c.example>")]
    [InlineData("<@a.example,user@c.example>")]
    [InlineData("<user@example.org>>")]
    public void Non_paths_fail(string text)
    {
        var position = 0;
        var parsed = SmtpPathParser.TryParse(text, ref position, true, false, out _);

        Assert.False(parsed && position == text.Length);
    }

    [Fact]
    public void Bare_local_parts_only_where_allowed()
    {
        var path = Parse("<Postmaster>", allowBare: true);

        Assert.Equal("Postmaster", path.LocalPart);
        Assert.Null(path.Domain);
        Assert.Equal("root", Parse("<root>", allowBare: true).LocalPart);
        Assert.True(Fails("<Postmaster>"));
        Assert.True(Fails("<\"quoted\">", allowBare: true));
        Assert.True(Fails("<@route.example:someone>", allowBare: true));
    }

    [Theory]
    [InlineData("<user@example.org.>", "example.org.")]
    [InlineData("<user@host_1.example.org>", "host_1.example.org")]
    public void Trailing_dot_and_underscore_are_tolerated(string text, string domain)
    {
        Assert.Equal(domain, Parse(text).Domain);
    }

    [Fact]
    public void Utf8_local_part_and_domain_parse_and_are_flagged_as_non_ascii()
    {
        var path = Parse("<用户@例子.测试>");

        Assert.Equal("用户", path.LocalPart);
        Assert.Equal("例子.测试", path.Domain);
        Assert.False(SmtpPathParser.IsAscii(path));
        Assert.True(SmtpPathParser.IsAscii(Parse("<a@b.example>")));
    }
}
