namespace Moat.Accounts.Hashing;

/// <summary>The cost and sizes a PHC string records, enough to recompute its hash.</summary>
internal sealed record Argon2Parameters(int MemoryKiB, int Iterations, int Parallelism);
