using Moat.Trust.Authentication;

namespace Moat.Trust.Tests.Authentication;

public sealed class DkimTagListTests
{
    [Fact]
    public void Reads_tags_in_order_ignoring_folding_whitespace()
    {
        var tags = DkimTagList.Parse("v=1; a=rsa-sha256;\r\n\td=example.test ; s = sel;\r\n b=abc\r\n def;");

        Assert.NotNull(tags);
        Assert.Equal(["v", "a", "d", "s", "b"], tags.Select(t => t.Key));
        Assert.Equal("example.test", tags.Get("d"));
        Assert.Equal("sel", tags.Get("s"));
        Assert.Equal("abcdef", DkimTagList.WithoutWhitespace(tags.Get("b")!));
        Assert.Null(tags.Get("x"));
    }

    [Theory]
    [InlineData("v=1; v=1")]
    [InlineData("v=1;; a=b")]
    [InlineData("=1")]
    [InlineData("1v=1")]
    [InlineData("v")]
    [InlineData("v-x=1")]
    public void Rejects_malformed_lists(string text)
    {
        Assert.Null(DkimTagList.Parse(text));
    }

    [Fact]
    public void Tag_names_are_case_sensitive()
    {
        var tags = DkimTagList.Parse("D=upper; d=lower")!;

        Assert.Equal("lower", tags.Get("d"));
    }
}
