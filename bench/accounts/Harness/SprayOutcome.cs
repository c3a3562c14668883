namespace Moat.Bench.Accounts;

/// <param name="Attempts">Password checks the attackers got (attempts not refused by a block).</param>
/// <param name="SlowedAfter">Checks before the first Slow, or null.</param>
/// <param name="BlockedAfter">Checks before the first Block, or null.</param>
/// <param name="NetworksBlocked">Of <paramref name="Networks"/> attacking networks.</param>
/// <param name="Home">The attacked user at the network they logged in from before: two typos, then the right password.</param>
/// <param name="Away">The same from a network they never used.</param>
/// <param name="Refused">For the office: login attempts of office users refused by a block.</param>
internal sealed record SprayOutcome(
    string Name,
    long Attempts,
    long? SlowedAfter,
    long? BlockedAfter,
    int Networks,
    int NetworksBlocked,
    UserOutcome Home,
    UserOutcome Away,
    long Refused,
    TimeSpan Duration);
