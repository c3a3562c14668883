using Moat.Trust.Challenges;

namespace Moat.Trust.Tests.Challenges;

public sealed class ChallengeTokenTests
{
    private static readonly byte[] Secret = Enumerable.Range(1, 32).Select(i => (byte)i).ToArray();
    private static readonly DateTimeOffset Now = new(2026, 11, 28, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void AFreshTokenVerifies()
    {
        var token = ChallengeToken.Create(Secret, Now.AddDays(14));

        var verified = ChallengeToken.Verify(Secret, token.ToString(), Now);

        Assert.Equal(token, verified);
    }

    [Fact]
    public void CaseDoesNotMatterBecauseMailSystemsMayChangeIt()
    {
        var token = ChallengeToken.Create(Secret, Now.AddDays(14));

        Assert.NotNull(ChallengeToken.Verify(Secret, token.ToString().ToUpperInvariant(), Now));
    }

    [Fact]
    public void ATokenPastItsLastDayIsRefused()
    {
        var token = ChallengeToken.Create(Secret, Now.AddDays(14));

        Assert.NotNull(ChallengeToken.Verify(Secret, token.ToString(), Now.AddDays(14)));
        Assert.Null(ChallengeToken.Verify(Secret, token.ToString(), Now.AddDays(15)));
    }

    [Fact]
    public void ALaterDayCannotBeForgedWithoutTheSecret()
    {
        var token = ChallengeToken.Create(Secret, Now.AddDays(1));
        var parts = token.ToString().Split('.');
        var forged = $"{parts[0]}.zzzz.{parts[2]}";

        Assert.Null(ChallengeToken.Verify(Secret, forged, Now));
    }

    [Fact]
    public void AnotherInstallationsTokenIsRefused()
    {
        var token = ChallengeToken.Create(new byte[32], Now.AddDays(14));

        Assert.Null(ChallengeToken.Verify(Secret, token.ToString(), Now));
    }

    [Theory]
    [InlineData("")]
    [InlineData("abc")]
    [InlineData("0123456789abcdef.1.0123456789abcdef.x")]
    [InlineData("0123456789abcde!.1.0123456789abcdef")]
    [InlineData("0123456789abcdef.-1.0123456789abcdef")]
    public void GarbageIsRefusedWithoutAnException(string text)
    {
        Assert.Null(ChallengeToken.Verify(Secret, text, Now));
    }

    [Fact]
    public void TokensAreNotRepeated()
    {
        var tokens = Enumerable.Range(0, 100).Select(_ => ChallengeToken.Create(Secret, Now).Id).ToHashSet();

        Assert.Equal(100, tokens.Count);
    }
}
