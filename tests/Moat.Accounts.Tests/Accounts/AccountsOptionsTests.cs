using Moat.Accounts.Accounts;

namespace Moat.Accounts.Tests.Accounts;

public sealed class AccountsOptionsTests
{
    [Fact]
    public void TheDefaultsAreValid() => Assert.Empty(new AccountsOptions().Validate());

    [Fact]
    public void EachProblemNamesItsKey()
    {
        var options = new AccountsOptions { MinimumPasswordLength = 0 };
        options.Hashing.MemoryKiB = 1024;
        options.Popularity.Depth = 40;
        options.Popularity.Tau = 0;
        options.Spraying.BlockScore = 1;

        var keys = options.Validate().Select(p => p.Key).ToList();

        Assert.Equal(["minimumPasswordLength", "hashing", "popularity.depth", "popularity.tau", "spraying.blockScore"], keys);
        Assert.All(options.Validate(), p => Assert.False(string.IsNullOrWhiteSpace(p.Problem + p.Fix)));
    }
}
