using System.Diagnostics.Metrics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Moat.Accounts.Popularity;

namespace Moat.Accounts.Spraying;

/// <summary>
/// Slows and then blocks source networks that spray popular passwords across many accounts,
/// after Schechter, Herley and Mitzenmacher: a count-min sketch of keyed password hashes counts
/// on how many accounts each password failed recently (any source). A typo is nearly unique;
/// a sprayed password fails everywhere. A source's score grows by the popularity among failures
/// of each password it fails with (0 for a password seen failing on one account, 1 from
/// <see cref="SprayingOptions.PopularFailures"/> accounts on), weighted by whether the account is
/// new to the source. Accounts themselves are only ever slowed, never locked, and failures from
/// networks an account has logged in from are counted apart from everybody else's.
/// </summary>
/// <remarks>
/// Call <see cref="Check"/> before verifying a password, then <see cref="RecordFailure"/> or
/// <see cref="RecordSuccess"/>. Passwords are kept only as keyed hashes: inside the sketch and
/// as 64-bit fingerprints in memory. All state is bounded and lives in memory; a restart forgets
/// it except for blocks the host saves from <see cref="Blocks"/> and gives to <see cref="Restore"/>.
/// Thread-safe.
/// </remarks>
public sealed class SprayingDetector : IDisposable
{
    internal const string PasswordPurpose = "Moat.Accounts.Spraying.Passwords.v1";
    internal const string AccountPurpose = "Moat.Accounts.Spraying.Accounts.v1";

    private const int MaximumHalvings = 32;

    private readonly Lock gate = new();
    private readonly SprayingOptions options;
    private readonly TimeProvider clock;
    private readonly KeyedHasher passwordHasher;
    private readonly KeyedHasher accountHasher;
    private readonly CountMinSketch failures;
    private readonly HashSet<ulong> commonPasswords = [];
    private readonly LruMap<IPNetwork, SourceState> sources;
    private readonly LruMap<ulong, AccountState> accounts;
    private readonly LruMap<(ulong Account, IPNetwork Network), DateTimeOffset> knownNetworks;
    private readonly Dictionary<IPNetwork, SourceBlock> blocks = [];
    private readonly SprayingMetrics metrics;
    private DateTimeOffset nextHalving;

    /// <param name="secret">At least 32 random bytes (the same key file as the popularity oracle will do: the keys are derived per purpose).</param>
    public SprayingDetector(byte[] secret, SprayingOptions options, TimeProvider? clock = null, IMeterFactory? meterFactory = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        this.options = options;
        this.clock = clock ?? TimeProvider.System;
        passwordHasher = new KeyedHasher(secret, PasswordPurpose);
        accountHasher = new KeyedHasher(secret, AccountPurpose);
        failures = new CountMinSketch(options.SketchDepth, options.SketchWidth);
        sources = new LruMap<IPNetwork, SourceState>(options.MaximumSources);
        accounts = new LruMap<ulong, AccountState>(options.MaximumAccounts);
        knownNetworks = new LruMap<(ulong, IPNetwork), DateTimeOffset>(options.MaximumKnownNetworks);
        nextHalving = this.clock.GetUtcNow() + options.HalfLife;
        if (options.SeedCommonPasswords)
        {
            foreach (var password in CommonPasswords.Load())
            {
                commonPasswords.Add(passwordHasher.Fingerprint(password));
            }
        }

        metrics = new SprayingMetrics(meterFactory, CountActiveBlocks);
    }

    /// <summary>The blocks in force now, soonest to end first.</summary>
    public IReadOnlyList<SourceBlock> Blocks
    {
        get
        {
            lock (gate)
            {
                var now = clock.GetUtcNow();
                return blocks.Values.Where(b => b.Until > now).OrderBy(b => b.Until).ToArray();
            }
        }
    }

    internal int TrackedSources
    {
        get
        {
            lock (gate)
            {
                return sources.Count;
            }
        }
    }

    internal int TrackedAccounts
    {
        get
        {
            lock (gate)
            {
                return accounts.Count;
            }
        }
    }

    /// <summary>Decides about a login attempt before its password is verified.</summary>
    public LoginDecision Check(IPAddress source, string account)
    {
        ArgumentNullException.ThrowIfNull(source);
        var network = NetworkOf(source);
        var accountKey = AccountKey(account);
        lock (gate)
        {
            var now = clock.GetUtcNow();
            var known = IsKnown(accountKey, network, now);
            if (!known && blocks.TryGetValue(network, out var block))
            {
                if (block.Until > now)
                {
                    metrics.RecordBlocked();
                    return new LoginDecision(LoginGate.Block, block.Until - now, block.Reason);
                }

                blocks.Remove(network);
            }

            var sourceDelay = TimeSpan.Zero;
            if (!known && sources.TryGetValue(network, out var state))
            {
                state.DecayTo(now, options.HalfLife);
                if (state.Score >= options.SlowScore)
                {
                    sourceDelay = options.SourceSlowDelay;
                }
            }

            var accountDelay = TimeSpan.Zero;
            var accountFailures = 0.0;
            if (accounts.TryGetValue(accountKey, out var accountState))
            {
                accountState.DecayTo(now, options.AccountHalfLife);
                accountFailures = accountState.Failures(known);
                accountDelay = AccountDelay(accountFailures);
            }

            if (sourceDelay <= TimeSpan.Zero && accountDelay <= TimeSpan.Zero)
            {
                return LoginDecision.Allowed;
            }

            if (sourceDelay >= accountDelay)
            {
                metrics.RecordSlowed("source");
                return new LoginDecision(LoginGate.Slow, sourceDelay, $"failed logins with passwords common among failures from {Format(network)}");
            }

            metrics.RecordSlowed("account");
            return new LoginDecision(LoginGate.Slow, accountDelay, $"{Math.Round(accountFailures).ToString(CultureInfo.InvariantCulture)} recent failed logins for this account{(known ? " from its own networks" : "")}");
        }
    }

    /// <summary>Counts a failed login; may block the source network.</summary>
    public void RecordFailure(IPAddress source, string account, string password)
    {
        ArgumentNullException.ThrowIfNull(source);
        var network = NetworkOf(source);
        var accountKey = AccountKey(account);
        Span<byte> hash = stackalloc byte[KeyedHasher.HashSize];
        passwordHasher.Hash(password, hash);
        var passwordKey = BitConverter.ToUInt64(hash);
        lock (gate)
        {
            var now = clock.GetUtcNow();
            HalveIfDue(now);

            var accountState = accounts.GetOrAdd(accountKey, () => new AccountState(now));
            accountState.DecayTo(now, options.AccountHalfLife);
            if (accountState.AddFailure(IsKnown(accountKey, network, now), passwordKey))
            {
                // Once per account and password, so the count says on how many accounts the
                // password failed rather than how often one client retried it.
                failures.Add(hash, 1);
            }

            double seen = failures.Estimate(hash);
            if (commonPasswords.Contains(passwordKey))
            {
                seen += options.PopularFailures;
            }

            var popularity = Math.Clamp((seen - 1) / (options.PopularFailures - 1), 0, 1);
            var state = sources.GetOrAdd(network, () => new SourceState(now));
            state.DecayTo(now, options.HalfLife);
            state.AddFailure(accountKey, popularity, options.RepeatAccountWeight);

            if (state.Score >= options.BlockScore
                && state.Accounts >= options.MinimumAccountsToBlock
                && !(blocks.TryGetValue(network, out var existing) && existing.Until > now))
            {
                Block(network, now, state);
            }
        }
    }

    /// <summary>Clears the account's failures (of its own networks, or of the others if this one was new) and remembers the network as the account's own.</summary>
    public void RecordSuccess(IPAddress source, string account)
    {
        ArgumentNullException.ThrowIfNull(source);
        var network = NetworkOf(source);
        var accountKey = AccountKey(account);
        lock (gate)
        {
            var now = clock.GetUtcNow();
            if (accounts.TryGetValue(accountKey, out var state))
            {
                state.ClearFailures(IsKnown(accountKey, network, now));
            }

            if (options.KnownNetworkLifetime > TimeSpan.Zero)
            {
                knownNetworks.Set((accountKey, network), now + options.KnownNetworkLifetime);
            }
        }
    }

    /// <summary>Lifts a block (operator action) and forgets the source's score.</summary>
    /// <param name="network">As shown in <see cref="SourceBlock.Network"/>, e.g. 203.0.113.0/24.</param>
    public bool Unblock(string network)
    {
        if (!IPNetwork.TryParse(network, out var parsed))
        {
            return false;
        }

        lock (gate)
        {
            if (sources.TryGetValue(parsed, out var state))
            {
                state.Reset();
            }

            return blocks.Remove(parsed);
        }
    }

    /// <summary>Takes over blocks saved before a restart; expired and unreadable ones are skipped.</summary>
    public void Restore(IEnumerable<SourceBlock> saved)
    {
        ArgumentNullException.ThrowIfNull(saved);
        lock (gate)
        {
            var now = clock.GetUtcNow();
            foreach (var block in saved)
            {
                if (block.Until > now && IPNetwork.TryParse(block.Network, out var network))
                {
                    MakeRoomForBlock(now);
                    blocks[network] = block with { Network = Format(network) };
                }
            }
        }
    }

    public void Dispose() => metrics.Dispose();

    private void Block(IPNetwork network, DateTimeOffset now, SourceState state)
    {
        MakeRoomForBlock(now);
        var reason = string.Create(
            CultureInfo.InvariantCulture,
            $"password spraying: {state.Failures} failed logins on {state.Accounts} accounts with passwords common among failures (score {state.Score:0.0})");
        blocks[network] = new SourceBlock(Format(network), now + options.BlockDuration, reason, Math.Round(state.Score, 1));
        metrics.RecordBlockImposed();
    }

    private void MakeRoomForBlock(DateTimeOffset now)
    {
        if (blocks.Count < options.MaximumBlocks)
        {
            return;
        }

        foreach (var expired in blocks.Where(b => b.Value.Until <= now).Select(b => b.Key).ToArray())
        {
            blocks.Remove(expired);
        }

        if (blocks.Count >= options.MaximumBlocks)
        {
            // The one that would end first goes: the least is lost.
            blocks.Remove(blocks.MinBy(b => b.Value.Until).Key);
        }
    }

    private bool IsKnown(ulong account, IPNetwork network, DateTimeOffset now)
    {
        if (!knownNetworks.TryGetValue((account, network), out var until))
        {
            return false;
        }

        if (until > now)
        {
            return true;
        }

        knownNetworks.Remove((account, network));
        return false;
    }

    private TimeSpan AccountDelay(double accountFailures)
    {
        // Rounded, so that a few minutes of decay do not undo the last failure.
        var excess = (long)Math.Round(accountFailures) - options.AccountFreeFailures;
        if (excess < 0)
        {
            return TimeSpan.Zero;
        }

        // Doubling per failure beyond the free ones; the exponent is capped long before overflow.
        var doublings = (int)Math.Min(excess, 30);
        var delay = options.AccountBaseDelay * Math.Pow(2, doublings);
        return delay < options.AccountMaximumDelay ? delay : options.AccountMaximumDelay;
    }

    private void HalveIfDue(DateTimeOffset now)
    {
        if (now < nextHalving)
        {
            return;
        }

        var periods = (long)Math.Floor((now - nextHalving) / options.HalfLife) + 1;
        if (periods >= MaximumHalvings)
        {
            failures.Clear();
        }
        else
        {
            for (var i = 0; i < periods; i++)
            {
                failures.Halve();
            }
        }

        nextHalving += options.HalfLife * periods;
    }

    private int CountActiveBlocks()
    {
        lock (gate)
        {
            var now = clock.GetUtcNow();
            return blocks.Values.Count(b => b.Until > now);
        }
    }

    private ulong AccountKey(string account)
    {
        ArgumentNullException.ThrowIfNull(account);
        return accountHasher.Fingerprint(account.Trim().ToLowerInvariant());
    }

    private IPNetwork NetworkOf(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        var prefix = address.AddressFamily == AddressFamily.InterNetwork ? options.IPv4PrefixLength : options.IPv6PrefixLength;
        Span<byte> bytes = stackalloc byte[16];
        if (!address.TryWriteBytes(bytes, out var length))
        {
            throw new ArgumentException("Unsupported address.", nameof(address));
        }

        bytes = bytes[..length];
        for (var bit = prefix; bit < length * 8; bit++)
        {
            bytes[bit / 8] &= (byte)~(0x80 >> (bit % 8));
        }

        return new IPNetwork(new IPAddress(bytes), prefix);
    }

    private static string Format(IPNetwork network) => network.ToString();
}
