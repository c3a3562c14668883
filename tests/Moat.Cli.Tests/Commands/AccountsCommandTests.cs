using System.Text;
using Moat.Cli.Tests.Support;
using Moat.Storage.Accounts;
using Moat.Storage.Sqlite;
using Moat.Testing;

namespace Moat.Cli.Tests.Commands;

/// <summary><c>moat accounts</c> run as the real executable against a data folder of its own, passwords on standard input.</summary>
public sealed class AccountsCommandTests : IDisposable
{
    private const string Summer = "Summer2026!";
    private readonly TempFolder folder = new("moat-accounts");

    private string DataDirectory => folder.Combine("data");

    [Fact]
    public async Task AddListChangeLockUnlockAndRemoveAnAccount()
    {
        var add = await AccountsWithInput(Summer + "\n", "add", "Alice@Example.org", "--role", "administrator");
        var addUser = await AccountsWithInput("bob's own password\n", "add", "bob@example.org");
        var passwd = await AccountsWithInput("a new one for alice\r\n", "passwd", "alice@example.org");
        var locked = await Accounts("lock", "bob@example.org");
        var list = await Accounts("list");
        var unlocked = await Accounts("unlock", "bob@example.org");
        var removed = await Accounts("remove", "bob@example.org");
        var afterRemove = await Accounts("list");

        Assert.True(add.ExitCode == 0, add.ToString());
        Assert.Equal("Added alice@example.org (administrator).", add.StandardOutput.Trim());
        Assert.True(addUser.ExitCode == 0, addUser.ToString());
        Assert.Contains("Added bob@example.org (user).", addUser.StandardOutput);
        Assert.True(passwd.ExitCode == 0, passwd.ToString());
        Assert.Contains("Changed the password of alice@example.org.", passwd.StandardOutput);
        Assert.Contains("Locked bob@example.org.", locked.StandardOutput);

        Assert.True(list.ExitCode == 0, list.ToString());
        var lines = list.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Matches(@"^NAME\s+ROLE\s+STATUS\s+CREATED \(UTC\)\s+PASSWORD SET \(UTC\)\s+LAST LOGIN \(UTC\)$", lines[0]);
        Assert.Matches(@"^alice@example\.org\s+administrator\s+active\s+\d{4}-\d\d-\d\d \d\d:\d\d\s+\d{4}-\d\d-\d\d \d\d:\d\d\s+-$", lines[1]);
        Assert.Matches(@"^bob@example\.org\s+user\s+locked\s+", lines[2]);
        Assert.Equal("2 accounts.", lines[3]);

        Assert.Contains("Unlocked bob@example.org.", unlocked.StandardOutput);
        Assert.True(removed.ExitCode == 0, removed.ToString());
        Assert.Contains("Removed bob@example.org.", removed.StandardOutput);
        Assert.Contains("1 account.", afterRemove.StandardOutput);
        Assert.DoesNotContain("bob@example.org", afterRemove.StandardOutput);

        // The line end of the piped password is not part of it.
        using var storage = SqliteStorage.Open(Path.Combine(DataDirectory, SqliteStorage.DefaultFileName));
        var alice = (await storage.Accounts.GetAsync("alice@example.org", default))!;
        Assert.True(new Moat.Accounts.Hashing.PasswordHasher().Verify("a new one for alice", alice.PasswordHash));
    }

    [Fact]
    public async Task RolesChangeButTheLastAdministratorStays()
    {
        await AccountsWithInput(Summer + "\n", "add", "alice@example.org", "--role", "administrator");
        await AccountsWithInput("bob's own password\n", "add", "bob@example.org");

        var lastAdministrator = await Accounts("role", "alice@example.org", "user");
        var promoted = await Accounts("role", "Bob@example.org", "administrator");
        var again = await Accounts("role", "bob@example.org", "administrator");
        var demoted = await Accounts("role", "alice@example.org", "user");
        var unknown = await Accounts("role", "carol@example.org", "user");
        var badRole = await Accounts("role", "bob@example.org", "root");
        var list = await Accounts("list");

        Assert.Equal(1, lastAdministrator.ExitCode);
        Assert.Contains("only administrator", lastAdministrator.StandardError);
        Assert.True(promoted.ExitCode == 0, promoted.ToString());
        Assert.Equal("bob@example.org is now an administrator.", promoted.StandardOutput.Trim());
        Assert.Equal("bob@example.org is an administrator already.", again.StandardOutput.Trim());
        Assert.Equal("alice@example.org is now a user.", demoted.StandardOutput.Trim());
        Assert.Equal(1, unknown.ExitCode);
        Assert.NotEqual(0, badRole.ExitCode);
        Assert.Matches(@"(?m)^alice@example\.org\s+user\s", list.StandardOutput);
        Assert.Matches(@"(?m)^bob@example\.org\s+administrator\s", list.StandardOutput);
        var log = await MoatProcess.RunAsync("audit-log", "list", "--data", DataDirectory);
        Assert.Contains("role administrator given", log.StandardOutput);
        Assert.Contains("role user given", log.StandardOutput);
    }

    [Fact]
    public async Task TooPopularPasswordsAreRefusedWithWhyAndWhatToDo()
    {
        await AccountsWithInput(Summer + "\n", "add", "alice@example.org");
        await AccountsWithInput(Summer + "\n", "add", "bob@example.org");

        var third = await AccountsWithInput(Summer + "\n", "add", "carol@example.org");
        var common = await AccountsWithInput("password\n", "add", "carol@example.org");
        var passwd = await AccountsWithInput(Summer + "\n", "passwd", "bob@example.org");

        Assert.Equal(1, third.ExitCode);
        Assert.Equal("too many accounts use this password; any other you can remember is fine", third.StandardError.Trim());
        Assert.Equal(1, common.ExitCode);
        Assert.Contains("too many accounts use this password; any other you can remember is fine", common.StandardError);
        Assert.DoesNotContain("carol", (await Accounts("list")).StandardOutput);

        // Bob choosing his own password again is judged without his own count.
        Assert.True(passwd.ExitCode == 0, passwd.ToString());
    }

    [Fact]
    public async Task MistakesAreExplained()
    {
        await AccountsWithInput(Summer + "\n", "add", "alice@example.org");

        var badName = await AccountsWithInput(Summer + "\n", "add", "alice");
        var badRole = await AccountsWithInput(Summer + "\n", "add", "bob@example.org", "--role", "root");
        var exists = await AccountsWithInput("something else 1\n", "add", "ALICE@example.org");
        var unknown = await AccountsWithInput("something else 1\n", "passwd", "bob@example.org");
        var noPassword = await AccountsWithInput(string.Empty, "add", "bob@example.org");
        var tooShort = await AccountsWithInput("short\n", "add", "bob@example.org");
        var lockUnknown = await Accounts("lock", "bob@example.org");
        var removeUnknown = await Accounts("remove", "bob@example.org");

        Assert.Equal(2, badName.ExitCode);
        Assert.Contains("'alice' is not an e-mail address", badName.StandardError);
        Assert.Contains("alice@example.org", badName.StandardError);
        Assert.NotEqual(0, badRole.ExitCode);
        Assert.Contains("root", badRole.StandardError);
        Assert.Equal(1, exists.ExitCode);
        Assert.Contains("exists already; `moat accounts passwd alice@example.org`", exists.StandardError);
        Assert.Equal(1, unknown.ExitCode);
        Assert.Contains("There is no account bob@example.org; `moat accounts list`", unknown.StandardError);
        Assert.Equal(1, noPassword.ExitCode);
        Assert.Contains("Standard input held no password", noPassword.StandardError);
        Assert.Equal(1, tooShort.ExitCode);
        Assert.Contains("shorter than 8 characters", tooShort.StandardError);
        Assert.Equal(1, lockUnknown.ExitCode);
        Assert.Contains("There is no account bob@example.org", lockUnknown.StandardError);
        Assert.Equal(1, removeUnknown.ExitCode);
        Assert.Contains("1 account.", (await Accounts("list")).StandardOutput);
    }

    [Fact]
    public async Task BlocksShowWhatTheGatewayPublished()
    {
        var none = await Accounts("blocks");
        using (var storage = SqliteStorage.Open(Path.Combine(DataDirectory, SqliteStorage.DefaultFileName)))
        {
            var until = DateTimeOffset.UtcNow.AddHours(1);
            await storage.Accounts.ReplaceSprayBlocksAsync(
                [
                    new SprayBlockRecord("203.0.113.0/24", until, "popular passwords failed on 14 accounts", 23.5),
                    new SprayBlockRecord("198.51.100.0/24", DateTimeOffset.UtcNow.AddMinutes(-5), "over", 30),
                ],
                default);
        }

        var some = await Accounts("blocks");

        Assert.True(none.ExitCode == 0, none.ToString());
        Assert.Contains("No network is blocked for password spraying.", none.StandardOutput);
        Assert.True(some.ExitCode == 0, some.ToString());
        var lines = some.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Matches(@"^NETWORK\s+UNTIL \(UTC\)\s+SCORE\s+REASON$", lines[0]);
        Assert.Matches(@"^203\.0\.113\.0/24\s+\d{4}-\d\d-\d\d \d\d:\d\d\s+23\.5\s+popular passwords failed on 14 accounts$", lines[1]);
        Assert.Equal("1 network blocked.", lines[2]);
    }

    [Fact]
    public async Task TheKeyStaysOutOfTheDatabaseAndSoDoesThePassword()
    {
        var add = await AccountsWithInput(Summer + "\n", "add", "alice@example.org");

        var keyFile = Path.Combine(DataDirectory, "popularity.key");
        Assert.True(add.ExitCode == 0, add.ToString());
        Assert.True(File.Exists(keyFile));
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(keyFile));
        }

        var key = await File.ReadAllBytesAsync(keyFile);
        foreach (var path in Directory.GetFiles(DataDirectory, "moat.db*"))
        {
            var bytes = await File.ReadAllBytesAsync(path);
            Assert.Equal(-1, bytes.AsSpan().IndexOf(key));
            Assert.Equal(-1, bytes.AsSpan().IndexOf(Encoding.UTF8.GetBytes(Summer)));
        }

        Assert.DoesNotContain(Summer, add.StandardOutput + add.StandardError);
    }

    [Fact]
    public async Task ABadAccountsSectionIsAConfigurationError()
    {
        var result = await MoatProcess.RunAsync(
            new Dictionary<string, string> { ["MOAT_ACCOUNTS__HASHING__ITERATIONS"] = "0" },
            "accounts", "list", "--data", DataDirectory);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("accounts.hashing: iterations must be from 1 to", result.StandardError);
    }

    public void Dispose() => folder.Dispose();

    private Task<CommandResult> Accounts(params string[] arguments) =>
        MoatProcess.RunAsync(["accounts", .. arguments, "--data", DataDirectory]);

    private Task<CommandResult> AccountsWithInput(string standardInput, params string[] arguments) =>
        MoatProcess.RunWithInputAsync(standardInput, ["accounts", .. arguments, "--data", DataDirectory]);
}
