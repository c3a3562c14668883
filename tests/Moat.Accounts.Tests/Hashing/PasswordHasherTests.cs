using System.Text;
using Moat.Accounts.Hashing;

namespace Moat.Accounts.Tests.Hashing;

public sealed class PasswordHasherTests
{
    // The cheapest settings the options accept, so the round trips stay fast.
    private static readonly PasswordHashingOptions Cheap = new() { MemoryKiB = 8192, Iterations = 1, Parallelism = 1 };

    [Fact]
    public void Rfc9106Argon2idTestVector()
    {
        // RFC 9106 §5.3: the raw function with secret and associated data.
        var tag = PasswordHasher.Compute(
            Repeat(0x01, 32),
            Repeat(0x02, 16),
            new Argon2Parameters(MemoryKiB: 32, Iterations: 3, Parallelism: 4),
            32,
            secret: Repeat(0x03, 8),
            associatedData: Repeat(0x04, 12));

        Assert.Equal("0d640df58d78766c08c037a34a8b53c9d01ef0452d75b65eb52520e96b01e659", Convert.ToHexStringLower(tag));
    }

    [Theory]
    [InlineData("$argon2id$v=19$m=256,t=2,p=1$c29tZXNhbHQ$nf65EOgLrQMR/uIPnA4rEsF5h7TKyQwu9U1bMCHGi/4")]
    [InlineData("$argon2id$v=19$m=256,t=2,p=2$c29tZXNhbHQ$bQk8UB/VmZZF4Oo79iDXuL5/0ttZwg2f/5U52iv1cDc")]
    [InlineData("$argon2id$v=19$m=65536,t=2,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc")]
    public void VerifiesTheReferenceImplementationsPhcStrings(string phc)
    {
        // From the Argon2 reference implementation's test suite (src/test.c): password "password", salt "somesalt".
        var hasher = new PasswordHasher(Cheap);

        Assert.True(hasher.Verify("password", phc));
        Assert.False(hasher.Verify("Password", phc));
        Assert.False(hasher.Verify("password ", phc));
    }

    [Fact]
    public void HashesInPhcFormatWithTheConfiguredCostAndAFreshSalt()
    {
        var hasher = new PasswordHasher();

        var first = hasher.Hash("correct horse battery staple");
        var second = hasher.Hash("correct horse battery staple");

        Assert.Matches(@"^\$argon2id\$v=19\$m=19456,t=2,p=1\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$", first);
        Assert.NotEqual(first, second);
        Assert.True(hasher.Verify("correct horse battery staple", first));
        Assert.True(hasher.Verify("correct horse battery staple", second));
        Assert.False(hasher.Verify("correct horse battery stapler", first));
        Assert.False(hasher.NeedsRehash(first));
    }

    [Fact]
    public void NonAsciiPasswordsAreHashedAsTheirUtf8Bytes()
    {
        var hasher = new PasswordHasher(Cheap);
        var hash = hasher.Hash("Grüße aus Köln ☕");

        Assert.True(hasher.Verify("Grüße aus Köln ☕", hash));

        // No normalisation: the decomposed ü is a different password.
        Assert.False(hasher.Verify("Gru\u0308ße aus Köln ☕", hash));
    }

    [Theory]
    [InlineData("$argon2id$v=19$m=8192,t=1,p=1$AAAAAAAAAAAAAAAAAAAAAA$")]
    [InlineData("$argon2i$v=19$m=8192,t=1,p=1$c29tZXNhbHQ$nf65EOgLrQMR/uIPnA4rEsF5h7TKyQwu9U1bMCHGi/4")]
    [InlineData("$argon2id$v=16$m=256,t=2,p=1$c29tZXNhbHQ$nf65EOgLrQMR/uIPnA4rEsF5h7TKyQwu9U1bMCHGi/4")]
    [InlineData("$argon2id$m=256,t=2,p=1$c29tZXNhbHQ$nf65EOgLrQMR/uIPnA4rEsF5h7TKyQwu9U1bMCHGi/4")]
    [InlineData("$argon2id$v=19$m=256,t=2,p=1$c29tZXNhbHQ=$nf65EOgLrQMR/uIPnA4rEsF5h7TKyQwu9U1bMCHGi/4")]
    [InlineData("$argon2id$v=19$m=0256,t=2,p=1$c29tZXNhbHQ$nf65EOgLrQMR/uIPnA4rEsF5h7TKyQwu9U1bMCHGi/4")]
    [InlineData("$argon2id$v=19$t=2,m=256,p=1$c29tZXNhbHQ$nf65EOgLrQMR/uIPnA4rEsF5h7TKyQwu9U1bMCHGi/4")]
    [InlineData("$argon2id$v=19$m=256,t=2,p=1$c29tZXNhbHQ$nf65EOgLrQMR/uIPnA4rEsF5h7TKyQwu9U1bMCHGi/4$")]
    [InlineData("$argon2id$v=19$m=256,t=2,p=1$c29tZXNhbHQ$nf65EOgLrQMR/uIPnA4rEsF5h7TKyQwu9U1bMCHGi/5")]
    [InlineData("$argon2id$v=19$m=256,t=2,p=1$c29tZXNhbHQ$nf65EOgLrQMR/uIPnA4rEsF5h7TKyQwu9U1bMCHGi/8")]
    [InlineData("$argon2id$v=19$m=256,t=3,p=1$c29tZXNhbHQ$nf65EOgLrQMR/uIPnA4rEsF5h7TKyQwu9U1bMCHGi/4")]
    [InlineData("$argon2id$v=19$m=256,t=2,p=1$c29tZXNhbHR$nf65EOgLrQMR/uIPnA4rEsF5h7TKyQwu9U1bMCHGi/4")]
    [InlineData("$argon2id$v=19$m=4294967296,t=2,p=1$c29tZXNhbHQ$nf65EOgLrQMR/uIPnA4rEsF5h7TKyQwu9U1bMCHGi/4")]
    [InlineData("$argon2id$v=19$m=256,t=2,p=-1$c29tZXNhbHQ$nf65EOgLrQMR/uIPnA4rEsF5h7TKyQwu9U1bMCHGi/4")]
    [InlineData("")]
    [InlineData("password")]
    public void TamperedOrForeignStringsDoNotMatchAndNeedRehash(string phc)
    {
        var hasher = new PasswordHasher(Cheap);

        Assert.False(hasher.Verify("password", phc));
        Assert.True(hasher.NeedsRehash(phc));
    }

    [Fact]
    public void AnAbsurdCostInAStoredHashIsRefusedWithoutComputingIt()
    {
        var hasher = new PasswordHasher(Cheap);
        var absurd = "$argon2id$v=19$m=4194304,t=2,p=1$c29tZXNhbHQ$nf65EOgLrQMR/uIPnA4rEsF5h7TKyQwu9U1bMCHGi/4";

        Assert.False(hasher.Verify("password", absurd));
        Assert.Equal(0, hasher.Computations);
    }

    [Fact]
    public void HashesWithOtherSettingsNeedARehash()
    {
        var current = new PasswordHasher(new PasswordHashingOptions { MemoryKiB = 8192, Iterations = 2, Parallelism = 1 });
        var older = new PasswordHasher(Cheap);
        var stronger = new PasswordHasher(new PasswordHashingOptions { MemoryKiB = 9216, Iterations = 2, Parallelism = 1 });
        var reference = "$argon2id$v=19$m=256,t=2,p=1$c29tZXNhbHQ$nf65EOgLrQMR/uIPnA4rEsF5h7TKyQwu9U1bMCHGi/4";

        Assert.False(current.NeedsRehash(current.Hash("a long password")));
        Assert.True(current.NeedsRehash(older.Hash("a long password")));
        Assert.True(current.NeedsRehash(stronger.Hash("a long password")));

        // 8-byte salt and m=256: verifiable, but not what Moat writes.
        Assert.True(current.NeedsRehash(reference));
    }

    [Fact]
    public void AbsurdPasswordsAreRefusedClearly()
    {
        var hasher = new PasswordHasher(Cheap);
        var longest = new string('a', PasswordHasher.MaxPasswordBytes);
        var tooLong = longest + "a";

        // 342 × 3 bytes = 1026: short in characters, too long in bytes.
        var tooLongInBytes = string.Concat(Enumerable.Repeat("€", 342));

        Assert.True(hasher.Verify(longest, hasher.Hash(longest)));
        var problem = Assert.Throws<ArgumentException>(() => hasher.Hash(tooLong));
        Assert.Contains("longer than 1024 bytes", problem.Message);
        Assert.Throws<ArgumentException>(() => hasher.Hash(tooLongInBytes));
        Assert.Contains("empty", Assert.Throws<ArgumentException>(() => hasher.Hash(string.Empty)).Message);
        var before = hasher.Computations;
        Assert.False(hasher.Verify(tooLong, hasher.DummyHash));
        Assert.Equal(before, hasher.Computations);
    }

    [Fact]
    public void TheDummyVerificationCostsWhatARealOneCosts()
    {
        var hasher = new PasswordHasher(Cheap);
        var real = hasher.Hash("a long password");
        var start = hasher.Computations;

        Assert.False(hasher.VerifyDummy("a long password"));
        var afterDummy = hasher.Computations;
        Assert.False(hasher.Verify("another password", real));

        Assert.Equal(1, afterDummy - start);
        Assert.Equal(1, hasher.Computations - afterDummy);
        Assert.False(hasher.NeedsRehash(hasher.DummyHash));
    }

    [Fact]
    public void SettingsBelowTheMinimumAreRefused()
    {
        Assert.Throws<ArgumentException>(() => new PasswordHasher(new PasswordHashingOptions { MemoryKiB = 1024 }));
        Assert.Throws<ArgumentException>(() => new PasswordHasher(new PasswordHashingOptions { Iterations = 0 }));
        Assert.Throws<ArgumentException>(() => new PasswordHasher(new PasswordHashingOptions { Parallelism = 17 }));
        Assert.Null(new PasswordHashingOptions().Validate());
    }

    private static byte[] Repeat(byte value, int count) => Enumerable.Repeat(value, count).ToArray();
}
