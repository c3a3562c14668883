namespace Moat.Accounts.Hashing;

/// <summary>
/// Argon2id cost. The defaults are OWASP's 2024 recommendation (19 MiB, 2 passes, 1 lane), about
/// 50–100 ms on one core of a server: slow for a guesser, tolerable for a login. Raising them
/// takes effect for each user at their next successful login.
/// </summary>
public sealed class PasswordHashingOptions
{
    /// <summary>Memory per hash in KiB (Argon2's m).</summary>
    public int MemoryKiB { get; set; } = 19 * 1024;

    /// <summary>Passes over the memory (Argon2's t).</summary>
    public int Iterations { get; set; } = 2;

    /// <summary>Lanes (Argon2's p). More lanes only help when each login may use that many cores.</summary>
    public int Parallelism { get; set; } = 1;

    /// <summary>The weakest settings the validator accepts; anything lower is a misconfiguration, not a tuning.</summary>
    public static PasswordHashingOptions Minimum { get; } = new() { MemoryKiB = 8 * 1024, Iterations = 1, Parallelism = 1 };

    /// <summary>What is wrong with these settings, or null.</summary>
    public string? Validate()
    {
        if (Parallelism is < 1 or > PasswordHasher.MaxParallelism)
        {
            return $"parallelism must be from 1 to {PasswordHasher.MaxParallelism}.";
        }

        if (Iterations is < 1 or > PasswordHasher.MaxIterations)
        {
            return $"iterations must be from 1 to {PasswordHasher.MaxIterations}.";
        }

        if (MemoryKiB < Minimum.MemoryKiB || MemoryKiB > PasswordHasher.MaxMemoryKiB)
        {
            return $"memoryKiB must be from {Minimum.MemoryKiB} to {PasswordHasher.MaxMemoryKiB}.";
        }

        return null;
    }
}
