using Moat.Accounts.Popularity;

namespace Moat.Accounts.Tests.Popularity;

public sealed class CommonPasswordsTests
{
    [Fact]
    public void LoadsTheTopThousandMostCommonFirst()
    {
        var passwords = CommonPasswords.Load();

        Assert.Equal(1000, passwords.Count);
        Assert.Equal(["password", "123456", "12345678", "1234", "qwerty"], passwords.Take(5));
        Assert.Equal(passwords.Count, passwords.Distinct(StringComparer.Ordinal).Count());
        Assert.DoesNotContain(passwords, p => p.StartsWith('#') || p.Length == 0);
        Assert.Same(passwords, CommonPasswords.Load());
    }
}
