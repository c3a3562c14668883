using Moat.Accounts.Accounts;
using Moat.Testing;

namespace Moat.Accounts.Tests.Accounts;

public sealed class AccountSecretTests : IDisposable
{
    private readonly TempFolder folder = new("moat-account-secret");

    [Fact]
    public void TheKeyIsCreatedOwnerOnlyOnceAndThenReused()
    {
        var path = folder.Combine("data", AccountSecret.DefaultFileName);

        var created = AccountSecret.LoadOrCreate(path);
        var again = AccountSecret.LoadOrCreate(path);

        Assert.Equal(32, created.Length);
        Assert.Equal(created, again);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        }
    }

    [Fact]
    public void AShortKeyFileIsRefusedWithWhatToDo()
    {
        var path = folder.Combine(AccountSecret.DefaultFileName);
        File.WriteAllBytes(path, new byte[8]);

        var problem = Assert.Throws<InvalidDataException>(() => AccountSecret.LoadOrCreate(path));

        Assert.Contains(path, problem.Message);
        Assert.Contains("backup", problem.Message);
    }

    public void Dispose() => folder.Dispose();
}
