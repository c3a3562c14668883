using System.Net;
using System.Security.Cryptography;
using System.Text;
using Moat.Accounts.Accounts;
using Moat.Accounts.Popularity;
using Moat.Storage.Accounts;
using Moat.Storage.Sqlite;
using Moat.Testing;

namespace Moat.Accounts.Tests.Accounts;

public sealed class AccountServiceTests : IDisposable
{
    private const string Summer = "Summer2026!";
    private static readonly byte[] Secret = [.. Enumerable.Range(1, 32).Select(i => (byte)i)];
    private static readonly IPAddress Office = IPAddress.Parse("192.0.2.10");
    private static readonly IPAddress Attacker = IPAddress.Parse("203.0.113.9");

    private readonly TempFolder folder = new("moat-accounts");
    private readonly List<IDisposable> disposables = [];
    private readonly IAccountStore store;

    public AccountServiceTests()
    {
        store = Keep(SqliteStorage.OpenInMemory()).Accounts;
    }

    [Fact]
    public async Task AnAddedAccountLogsIn()
    {
        var service = Service();

        var added = await service.AddAsync("Alice@Example.org", AccountRole.Administrator, Summer, default);
        var login = await service.VerifyAsync("alice@example.org", Summer, Office, default);

        Assert.Equal(AccountChangeOutcome.Done, added.Outcome);
        Assert.Equal("Added alice@example.org (administrator).", added.Message);
        Assert.Equal(new LoginResult(LoginOutcome.Success), login);
        var alice = (await store.GetAsync("alice@example.org", default))!;
        Assert.Equal(AccountRole.Administrator, alice.Role);
        Assert.StartsWith("$argon2id$v=19$m=8192,t=1,p=1$", alice.PasswordHash);
        Assert.NotNull(alice.LastLogin);
        Assert.False(alice.PasswordTooPopular);

        // One counter per row, and exactly the ones the oracle itself reads.
        Assert.Equal(4, alice.SketchPositions.Count);
        Assert.Equal(4, alice.SketchPositions.Select(p => p / (1 << 16)).Distinct().Count());
        Assert.Equal(1u, await EstimateAsync(Summer));
    }

    [Fact]
    public async Task APopularPasswordIsRefusedWithTheExactMessage()
    {
        var service = Service();
        await service.AddAsync("alice@example.org", AccountRole.User, Summer, default);
        await service.AddAsync("bob@example.org", AccountRole.User, Summer, default);

        var carol = await service.AddAsync("carol@example.org", AccountRole.User, Summer, default);

        Assert.Equal(AccountChangeOutcome.PasswordTooPopular, carol.Outcome);
        Assert.Equal("too many accounts use this password; any other you can remember is fine", carol.Message);
        Assert.Null(await store.GetAsync("carol@example.org", default));
        Assert.Equal(2u, await EstimateAsync(Summer));
    }

    [Theory]
    [InlineData("password")]
    [InlineData("12345678")]
    [InlineData("iloveyou")]
    public async Task SeededCommonPasswordsAreRefusedFromDayOne(string common)
    {
        var service = Service();

        var result = await service.AddAsync("alice@example.org", AccountRole.User, common, default);

        Assert.Equal(AccountChangeOutcome.PasswordTooPopular, result.Outcome);
        Assert.Equal(AccountService.TooPopularMessage, result.Message);
        Assert.Equal(0, await store.CountAsync(default));
        Assert.True(await EstimateAsync(common) >= (uint)new PopularityOptions().SeedCount);
    }

    [Fact]
    public async Task ChangingAwayFromAPasswordTakesItsCountAway()
    {
        var service = Service();
        await service.AddAsync("alice@example.org", AccountRole.User, Summer, default);
        await service.AddAsync("bob@example.org", AccountRole.User, Summer, default);
        var before = await EstimateAsync(Summer);

        var changed = await service.ChangePasswordAsync("alice@example.org", "winter is coming 2026", default);

        Assert.Equal(AccountChangeOutcome.Done, changed.Outcome);
        Assert.Equal(2u, before);
        Assert.Equal(1u, await EstimateAsync(Summer));
        Assert.Equal(1u, await EstimateAsync("winter is coming 2026"));
        Assert.Equal(LoginOutcome.BadCredentials, (await service.VerifyAsync("alice@example.org", Summer, Office, default)).Outcome);
        Assert.Equal(LoginOutcome.Success, (await service.VerifyAsync("alice@example.org", "winter is coming 2026", Office, default)).Outcome);
        Assert.True((await service.AddAsync("carol@example.org", AccountRole.User, Summer, default)).Succeeded);
    }

    [Fact]
    public async Task ARefusedChangeLeavesPasswordAndCountsAsTheyWere()
    {
        var service = Service();
        await service.AddAsync("alice@example.org", AccountRole.User, Summer, default);
        await service.AddAsync("bob@example.org", AccountRole.User, Summer, default);
        await service.AddAsync("carol@example.org", AccountRole.User, "autumn leaves 7", default);

        var refused = await service.ChangePasswordAsync("carol@example.org", Summer, default);

        Assert.Equal(AccountChangeOutcome.PasswordTooPopular, refused.Outcome);
        Assert.Equal(2u, await EstimateAsync(Summer));
        Assert.Equal(1u, await EstimateAsync("autumn leaves 7"));
        Assert.Equal(LoginOutcome.Success, (await service.VerifyAsync("carol@example.org", "autumn leaves 7", Office, default)).Outcome);
    }

    [Fact]
    public async Task SettingTheSamePasswordAgainIsJudgedWithoutItsOwnCount()
    {
        var service = Service();
        await service.AddAsync("alice@example.org", AccountRole.User, Summer, default);
        await service.AddAsync("bob@example.org", AccountRole.User, Summer, default);

        var again = await service.ChangePasswordAsync("alice@example.org", Summer, default);

        Assert.Equal(AccountChangeOutcome.Done, again.Outcome);
        Assert.Equal(2u, await EstimateAsync(Summer));
    }

    [Fact]
    public async Task RemovingAnAccountTakesItsCountAway()
    {
        var service = Service();
        await service.AddAsync("alice@example.org", AccountRole.User, Summer, default);
        await service.AddAsync("bob@example.org", AccountRole.User, Summer, default);

        var removed = await service.RemoveAsync("Bob@example.org", default);
        var again = await service.RemoveAsync("bob@example.org", default);

        Assert.Equal(new AccountChangeResult(AccountChangeOutcome.Done, "Removed bob@example.org."), removed);
        Assert.Equal(AccountChangeOutcome.NotFound, again.Outcome);
        Assert.Contains("moat accounts list", again.Message);
        Assert.Equal(1u, await EstimateAsync(Summer));
        Assert.Equal(LoginOutcome.BadCredentials, (await service.VerifyAsync("bob@example.org", Summer, Office, default)).Outcome);
    }

    [Fact]
    public async Task ALoginIsFlaggedOnceItsPasswordHasBecomeTooPopular()
    {
        // Three accounts share a password while the threshold is 3; then it is lowered to 2.
        var before = Service(Options(minimumThreshold: 3));
        foreach (var name in new[] { "alice", "bob", "carol" })
        {
            await before.AddAsync(name + "@example.org", AccountRole.User, Summer, default);
        }

        await before.AddAsync("dave@example.org", AccountRole.User, "dave's own 42", default);
        var gateway = Service(Options(minimumThreshold: 2));

        var unflagged = await before.VerifyAsync("alice@example.org", Summer, Office, default);
        var flagged = await gateway.VerifyAsync("alice@example.org", Summer, Office, default);
        var alone = await gateway.VerifyAsync("dave@example.org", "dave's own 42", Office, default);

        Assert.False(unflagged.PasswordTooPopular);
        Assert.True(flagged.Succeeded);
        Assert.True(flagged.PasswordTooPopular);
        Assert.True((await store.GetAsync("alice@example.org", default))!.PasswordTooPopular);
        Assert.False(alone.PasswordTooPopular);

        // Another process (the CLI) moves bob and carol away; the gateway notices by the change stamp.
        var cli = Service(Options(minimumThreshold: 2));
        await cli.ChangePasswordAsync("bob@example.org", "bob picks another 1", default);
        await cli.ChangePasswordAsync("carol@example.org", "carol picks another 2", default);
        var later = await gateway.VerifyAsync("alice@example.org", Summer, Office, default);

        Assert.False(later.PasswordTooPopular);
        Assert.False((await store.GetAsync("alice@example.org", default))!.PasswordTooPopular);
    }

    [Fact]
    public async Task AnOutdatedHashIsReplacedAtTheNextLogin()
    {
        await Service(Options(iterations: 1)).AddAsync("alice@example.org", AccountRole.User, Summer, default);
        var upgraded = Service(Options(iterations: 2));
        var stampBefore = await store.GetChangeStampAsync(default);

        var first = await upgraded.VerifyAsync("alice@example.org", Summer, Office, default);
        var hash = (await store.GetAsync("alice@example.org", default))!.PasswordHash;
        var second = await upgraded.VerifyAsync("alice@example.org", Summer, Office, default);

        Assert.True(first.Succeeded);
        Assert.True(first.Rehashed);
        Assert.StartsWith("$argon2id$v=19$m=8192,t=2,p=1$", hash);
        Assert.True(second.Succeeded);
        Assert.False(second.Rehashed);
        Assert.True(await store.GetChangeStampAsync(default) > stampBefore);
        Assert.Equal(1u, await EstimateAsync(Summer));
    }

    [Fact]
    public async Task ALockedAccountCannotLogInUntilUnlocked()
    {
        var service = Service();
        await service.AddAsync("alice@example.org", AccountRole.User, Summer, default);

        var locked = await service.LockAsync("alice@example.org", default);
        var right = await service.VerifyAsync("alice@example.org", Summer, Office, default);
        var wrong = await service.VerifyAsync("alice@example.org", "not it at all", Office, default);
        var unlocked = await service.UnlockAsync("alice@example.org", default);
        var after = await service.VerifyAsync("alice@example.org", Summer, Office, default);

        Assert.Equal("Locked alice@example.org.", locked.Message);
        Assert.Equal(LoginOutcome.Locked, right.Outcome);
        Assert.Equal(LoginOutcome.Locked, wrong.Outcome);
        Assert.Equal("Unlocked alice@example.org.", unlocked.Message);
        Assert.Equal(LoginOutcome.Success, after.Outcome);
        Assert.Equal(AccountChangeOutcome.NotFound, (await service.LockAsync("nobody@example.org", default)).Outcome);
    }

    [Fact]
    public async Task UnknownLockedAndWrongLoginsEachCostOneFullHash()
    {
        var service = Service();
        await service.AddAsync("alice@example.org", AccountRole.User, Summer, default);
        await service.AddAsync("bob@example.org", AccountRole.User, "bob's password 9", default);
        await service.LockAsync("bob@example.org", default);

        async Task<(LoginOutcome Outcome, long Hashes)> Attempt(string name, string password)
        {
            var before = service.Hasher.Computations;
            var result = await service.VerifyAsync(name, password, Office, default);
            return (result.Outcome, service.Hasher.Computations - before);
        }

        Assert.Equal((LoginOutcome.BadCredentials, 1L), await Attempt("nobody@example.org", Summer));
        Assert.Equal((LoginOutcome.Locked, 1L), await Attempt("bob@example.org", "bob's password 9"));
        Assert.Equal((LoginOutcome.BadCredentials, 1L), await Attempt("alice@example.org", "wrong password"));
        Assert.Equal((LoginOutcome.Success, 1L), await Attempt("alice@example.org", Summer));

        // Refused for its length alone, before any account is looked up.
        Assert.Equal((LoginOutcome.BadCredentials, 0L), await Attempt("alice@example.org", new string('x', 2000)));

        // The stand-in hash has the configured cost, so it takes as long as a real one.
        Assert.False(service.Hasher.NeedsRehash(service.Hasher.DummyHash));
    }

    [Fact]
    public async Task BadNamesAndPasswordsAreExplained()
    {
        var service = Service();
        await service.AddAsync("alice@example.org", AccountRole.User, Summer, default);

        var badName = await service.AddAsync("alice", AccountRole.User, Summer, default);
        var shortPassword = await service.AddAsync("bob@example.org", AccountRole.User, "short", default);
        var longPassword = await service.AddAsync("bob@example.org", AccountRole.User, new string('€', 400), default);
        var taken = await service.AddAsync("ALICE@example.org", AccountRole.User, "another one 123", default);
        var unknown = await service.ChangePasswordAsync("bob@example.org", "another one 123", default);

        Assert.Equal(AccountChangeOutcome.InvalidName, badName.Outcome);
        Assert.Contains("'alice' is not an e-mail address", badName.Message);
        Assert.Equal(AccountChangeOutcome.PasswordUnacceptable, shortPassword.Outcome);
        Assert.Contains("shorter than 8 characters", shortPassword.Message);
        Assert.Equal(AccountChangeOutcome.PasswordUnacceptable, longPassword.Outcome);
        Assert.Contains("longer than 1024 bytes", longPassword.Message);
        Assert.Equal(AccountChangeOutcome.AlreadyExists, taken.Outcome);
        Assert.Contains("moat accounts passwd alice@example.org", taken.Message);
        Assert.Equal(AccountChangeOutcome.NotFound, unknown.Outcome);
    }

    [Fact]
    public async Task SprayingIsBlockedPublishedAndTakenOverAfterARestart()
    {
        var service = Service();
        await service.AddAsync("alice@example.org", AccountRole.User, Summer, default);
        LoginResult? blocked = null;
        for (var i = 0; i < 60 && blocked is null; i++)
        {
            var result = await service.VerifyAsync($"user{i}@example.org", "123456", Attacker, default);
            if (result.Outcome == LoginOutcome.TooManyAttempts)
            {
                blocked = result;
            }
        }

        Assert.NotNull(blocked);
        Assert.True(blocked.Delay > TimeSpan.Zero);
        Assert.False(string.IsNullOrEmpty(blocked.Reason));
        var published = Assert.Single(await store.ListSprayBlocksAsync(DateTimeOffset.UtcNow, default));
        Assert.Equal("203.0.113.0/24", published.Network);

        // The attacker is refused unchecked even with a right password; others are not affected.
        var hashesBefore = service.Hasher.Computations;
        Assert.Equal(LoginOutcome.TooManyAttempts, (await service.VerifyAsync("alice@example.org", Summer, Attacker, default)).Outcome);
        Assert.Equal(hashesBefore, service.Hasher.Computations);
        Assert.Equal(LoginOutcome.Success, (await service.VerifyAsync("alice@example.org", Summer, Office, default)).Outcome);

        var restarted = Service();
        await restarted.RestoreBlocksAsync(default);
        Assert.Equal(LoginOutcome.TooManyAttempts, (await restarted.VerifyAsync("user1@example.org", "123456", Attacker, default)).Outcome);
    }

    [Fact]
    public async Task AnAccountWithRecentFailuresIsSlowedButStillLogsIn()
    {
        var options = Options();
        options.Spraying.AccountFreeFailures = 1;
        options.Spraying.AccountBaseDelay = TimeSpan.FromMilliseconds(50);
        options.Spraying.AccountMaximumDelay = TimeSpan.FromMilliseconds(50);
        var service = Service(options);
        await service.AddAsync("alice@example.org", AccountRole.User, Summer, default);
        await service.VerifyAsync("alice@example.org", "typo one", Office, default);
        await service.VerifyAsync("alice@example.org", "typo two", Office, default);

        var started = TimeProvider.System.GetTimestamp();
        var login = await service.VerifyAsync("alice@example.org", Summer, Office, default);

        Assert.Equal(LoginOutcome.Success, login.Outcome);
        Assert.Equal(TimeSpan.FromMilliseconds(50), login.Delay);
        Assert.True(TimeProvider.System.GetElapsedTime(started) >= TimeSpan.FromMilliseconds(45));
    }

    [Fact]
    public async Task ConcurrentAddsFromTwoProcessesNeverPassTheThreshold()
    {
        // Two openers of one file stand for the gateway and the CLI.
        var path = folder.Combine("data", SqliteStorage.DefaultFileName);
        var first = Service(store: Keep(SqliteStorage.Open(path)).Accounts);
        var second = Service(store: Keep(SqliteStorage.Open(path)).Accounts);

        var results = await Task.WhenAll(Enumerable.Range(0, 6).Select(i =>
            Task.Run(() => (i % 2 == 0 ? first : second).AddAsync($"user{i}@example.org", AccountRole.User, "Autumn2026!", default))));

        Assert.Equal(2, results.Count(r => r.Succeeded));
        Assert.Equal(4, results.Count(r => r.Outcome == AccountChangeOutcome.PasswordTooPopular));
    }

    [Fact]
    public async Task NothingReversibleIsStoredOrLogged()
    {
        var data = folder.Combine("data");
        var storage = Keep(SqliteStorage.Open(Path.Combine(data, SqliteStorage.DefaultFileName)));
        var logger = new RecordingLogger<AccountService>();
        var key = AccountSecret.LoadOrCreate(Path.Combine(data, AccountSecret.DefaultFileName));
        var service = Keep(new AccountService(storage.Accounts, key, Options(), logger));

        await service.AddAsync("alice@example.org", AccountRole.User, Summer, default);
        await service.AddAsync("bob@example.org", AccountRole.User, Summer, default);
        await service.AddAsync("carol@example.org", AccountRole.User, Summer, default);
        await service.ChangePasswordAsync("alice@example.org", "winter is coming 2026", default);
        await service.VerifyAsync("alice@example.org", "a wrong guess 1", Office, default);
        await service.VerifyAsync("bob@example.org", Summer, Office, default);

        var stored = Directory.GetFiles(data, SqliteStorage.DefaultFileName + "*")
            .SelectMany(path =>
            {
                using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
                using var copy = new MemoryStream();
                file.CopyTo(copy);
                return copy.ToArray();
            })
            .ToArray();
        foreach (var password in new[] { Summer, "winter is coming 2026", "a wrong guess 1" })
        {
            var utf8 = Encoding.UTF8.GetBytes(password);
            Assert.Equal(-1, stored.AsSpan().IndexOf(utf8));
            Assert.Equal(-1, stored.AsSpan().IndexOf(SHA256.HashData(utf8)));
            Assert.Equal(-1, stored.AsSpan().IndexOf(Encoding.UTF8.GetBytes(Convert.ToHexStringLower(SHA256.HashData(utf8)))));
            Assert.DoesNotContain(logger.Lines, line => line.Contains(password, StringComparison.Ordinal));
        }

        Assert.Equal(-1, stored.AsSpan().IndexOf(key));
        Assert.Contains(logger.Lines, line => line.Contains("alice@example.org", StringComparison.Ordinal));
    }

    public void Dispose()
    {
        foreach (var disposable in Enumerable.Reverse(disposables))
        {
            disposable.Dispose();
        }

        folder.Dispose();
    }

    private static AccountsOptions Options(int minimumThreshold = 2, int iterations = 1) => new()
    {
        // The cheapest hashing the options allow, a 1 MiB sketch, and no waiting in the detector.
        Hashing = new() { MemoryKiB = 8192, Iterations = iterations, Parallelism = 1 },
        Popularity = new() { Depth = 4, Width = 1 << 16, MinimumThreshold = minimumThreshold },
        Spraying = new() { SourceSlowDelay = TimeSpan.Zero, AccountBaseDelay = TimeSpan.Zero, AccountMaximumDelay = TimeSpan.Zero },
    };

    private AccountService Service(AccountsOptions? options = null, IAccountStore? store = null) =>
        Keep(new AccountService(store ?? this.store, Secret, options ?? Options()));

    private T Keep<T>(T disposable)
        where T : IDisposable
    {
        disposables.Add(disposable);
        return disposable;
    }

    /// <summary>What the oracle itself, on the stored counters, estimates: an independent check of the positions.</summary>
    private async Task<uint> EstimateAsync(string password)
    {
        var sketch = (await store.LoadSketchAsync(AccountService.SketchName, default))!;
        var oracle = new PopularityOracle(Secret, CountMinSketch.FromArray(sketch.Depth, sketch.Width, sketch.Counters), Options().Popularity);
        return oracle.Estimate(password);
    }
}
