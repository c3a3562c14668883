using System.Globalization;
using Moat.Cli.Configuration;
using Moat.Scanning.Filter;
using Moat.Trust;
using Moat.Trust.Filter;
using Moat.Web.Privacy;

namespace Moat.Cli.Hosting;

/// <summary>
/// The privacy notice's content, derived from the live configuration: each kind of data this
/// gateway keeps, only when the configuration makes it keep that data, and for how long. It must
/// stay true to what the code does; when a store, a retention or a log line changes, change this
/// in the same commit.
/// </summary>
internal static class PrivacyNoticeBuilder
{
    public static PrivacyNotice Build(MoatOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var order = options.Pipeline.Order ?? [];
        var trustOn = order.Contains(TrustFilter.FilterName, StringComparer.OrdinalIgnoreCase);
        var trust = options.Trust;
        var policies = trust.UserPolicies.Values.Append(trust.UnknownSenders).ToList();
        var challenges = trustOn && policies.Contains(UnknownSenderPolicy.Challenge);

        var items = new List<PrivacyNoticeItem> { Queue(options), Held(options, trustOn, challenges) };
        if (challenges)
        {
            items.Add(AwaitingConfirmation(options));
        }

        if (Maildir(options) is { } maildir)
        {
            items.Add(maildir);
        }

        if (trustOn)
        {
            items.Add(TrustLists(trust, challenges));
            if (trust.Familiarity.Enabled)
            {
                items.Add(Familiarity());
            }

            if (trust.ListContent.Enabled)
            {
                items.Add(ContentStatistics());
            }

            if (challenges)
            {
                items.Add(Challenges(trust.Challenge));
            }
        }

        items.Add(Accounts(options));
        items.Add(PasswordPopularity());
        var submission = (options.Listeners ?? []).Any(l => l.Role.Equals("submission", StringComparison.OrdinalIgnoreCase));
        if (submission || options.Web.Enabled)
        {
            items.Add(Spraying(options.Accounts.Spraying));
        }

        items.Add(AccessLog(options.Privacy));
        items.Add(ApplicationLogs(options.Privacy));
        if (options.Web.Enabled)
        {
            items.Add(WebSessions(options.Web));
        }

        return new PrivacyNotice(items, OperatorText(options.Privacy));
    }

    private static PrivacyNoticeItem Queue(MoatOptions options) => new(
        "Messages waiting for delivery",
        "The whole message as it arrived, its envelope sender and recipients, the IP address and name the sending server gave, when it arrived, and each delivery attempt with the receiving server's last reply.",
        "To pass each message on to its recipients, and to try again while their servers cannot be reached.",
        $"Until it has been delivered to (or has finally failed for) every recipient, then deleted at once. A message still not delivered after {Duration(options.Delivery.MaxLifetime)} is given up and its sender gets a delivery report. A queue file that fails its integrity check is set aside until an administrator removes it.");

    private static PrivacyNoticeItem Held(MoatOptions options, bool trustOn, bool challenges)
    {
        var reasons = new List<string>();
        var antivirus = options.Antivirus;
        if ((options.Pipeline.Order ?? []).Contains(AntivirusFilter.FilterName, StringComparer.OrdinalIgnoreCase))
        {
            if (IsQuarantine(antivirus.Inbound.Action) || IsQuarantine(antivirus.Outbound.Action))
            {
                reasons.Add("mail in which the virus scanner found or suspected malware");
            }

            if (IsQuarantine(antivirus.LimitAction))
            {
                reasons.Add("mail that could not be checked completely (such as an archive too large or too deep to unpack)");
            }
        }

        var trust = options.Trust;
        var quarantinesStrangers = trustOn && (challenges || trust.UserPolicies.Values.Append(trust.UnknownSenders).Contains(UnknownSenderPolicy.Quarantine));
        if (quarantinesStrangers)
        {
            reasons.Add("mail from senders nobody here knows yet");
        }

        if (trustOn && trust.ListContent.Enabled)
        {
            reasons.Add("posts of mailing lists that look like spam");
        }

        reasons.Add("mail an administrator holds back");
        var digest = trustOn && (quarantinesStrangers || trust.ListContent.Enabled) && trust.DigestInterval is { } interval
            ? $" {Every(interval)} each recipient is sent a list of the mail held for them (sender, subject, date; never the content)."
            : string.Empty;
        return new(
            "Messages held in quarantine",
            "The whole message, its envelope sender and recipients, the IP address of the sending server, when it arrived and why it is held.",
            $"To keep back {Join(reasons, "or")}, until the recipient or an administrator releases or deletes it.{digest}",
            $"Deleted {Duration(options.Privacy.HeldMailRetention)} after it arrived, unless released (then delivered) or deleted earlier. Each deletion is recorded in the access log.");
    }

    private static PrivacyNoticeItem AwaitingConfirmation(MoatOptions options)
    {
        // Held mail is held mail: the retention purge takes it too when it comes first.
        var keep = options.Trust.Challenge.HoldTime < options.Privacy.HeldMailRetention ? options.Trust.Challenge.HoldTime : options.Privacy.HeldMailRetention;
        return new(
            "Messages awaiting their sender's confirmation",
            "The whole message, its envelope sender and recipients, the IP address of the sending server and when it arrived.",
            "Mail from a sender nobody here knows yet is delivered once the sender confirms, once, that they sent it (a challenge): this keeps out mail from forged and automated senders.",
            $"Until the sender confirms (then it is delivered); otherwise deleted {Duration(keep)} after it arrived, without notice to the sender.");
    }

    private static PrivacyNoticeItem? Maildir(MoatOptions options)
    {
        var routes = (options.Delivery.Routes ?? []).ToLookup(r => IsMaildir(r.Value), r => r.Key.TrimEnd('.').ToLowerInvariant());
        var maildirDomains = routes[true].Order(StringComparer.Ordinal).ToList();
        var otherDomains = routes[false].Order(StringComparer.Ordinal).ToList();
        var everyOtherDomain = IsMaildir(options.Delivery.DefaultRoute);
        if (maildirDomains.Count == 0 && !everyOtherDomain)
        {
            return null;
        }

        var forWhom = !everyOtherDomain
            ? $"recipients at {Join(maildirDomains, "and")}"
            : otherDomains.Count == 0
                ? "every recipient"
                : $"every recipient except those at {Join(otherDomains, "and")}";
        return new(
            "Delivered mail in local mailboxes",
            $"The whole message, for {forWhom}, in a mailbox folder on this server named after the recipient's address.",
            "Delivery: this is where those recipients' mail ends up.",
            "Until the recipient's mail program or an administrator removes it; Moat itself deletes nothing there.");
    }

    private static PrivacyNoticeItem TrustLists(TrustOptions trust, bool challenges)
    {
        var sources = new List<string>();
        if (trust.LearnFromOutbound)
        {
            sources.Add("learned from the mail a user sends");
        }

        sources.Add("imported from a user's contacts");
        sources.Add("added by hand");
        if (challenges)
        {
            sources.Add("a sender who answered a challenge");
        }

        var learned = !trust.LearnFromOutbound
            ? string.Empty
            : trust.LearnedEntryLifetime is { } lifetime
                ? $" Learned entries are deleted {Duration(lifetime)} after the user last wrote to that address."
                : " Learned entries do not expire by themselves.";
        return new(
            "Allow-lists of trusted senders",
            $"For each user, and for the organisation: the addresses and domains they trust, where each entry came from ({string.Join("; ", sources)}), when it was added and when it expires.",
            "Mail from people our users correspond with is delivered without further questions, and only when it is proven to come from them.",
            $"Until the user or an administrator removes the entry, or its expiry date passes.{learned}");
    }

    private static PrivacyNoticeItem Familiarity() => new(
        "Familiarity counters",
        "How many good messages (authenticated and delivered) came from each sender address, from each sender domain and from each sending server's IP address, with when the first and the last of them arrived.",
        "A sender who has sent enough good mail counts as known even before anyone added them to a list.",
        "Without a time limit: Moat deletes none of these counters by itself.");

    private static PrivacyNoticeItem ContentStatistics() => new(
        "Word statistics of the list content check",
        "For each word and word pair seen in learned messages (mail from trusted senders, mail refused as forged or failing its domain's policy, list posts): in how many ham and how many spam messages it appeared, stored as a keyed hash that cannot be turned back into the word without this server's key. And for each mailing list, which authors' posts were delivered, with a count and dates.",
        "To hold back spam that a mailing list our users trust passes on, which the list's own trust cannot tell from its good posts.",
        "A word seen in one message only is deleted when it has not been seen for 60 days; the other statistics and the list authors have no time limit.");

    private static PrivacyNoticeItem Challenges(ChallengeOptions challenge) => new(
        "Challenges sent",
        "For each challenge: the address of the sender it was sent to, the recipient their message was for, when it was sent and whether and when it was answered.",
        $"To challenge a sender at most {(challenge.MaxPerSenderPerDay == 1 ? "once" : $"{challenge.MaxPerSenderPerDay} times")} a day, and to honour each answer once.",
        $"Deleted {Duration(challenge.HoldTime)} after the challenge was sent.");

    private static PrivacyNoticeItem Accounts(MoatOptions options)
    {
        var where = new List<string>();
        if ((options.Listeners ?? []).Any(l => l.Role.Equals("submission", StringComparison.OrdinalIgnoreCase)))
        {
            where.Add("send mail through this gateway");
        }

        if (options.Web.Enabled)
        {
            where.Add("use its web pages");
        }

        var purpose = where.Count == 0
            ? "To know who may log in."
            : $"So that users can log in to {string.Join(" and to ", where)}.";
        return new(
            "User accounts",
            "The account's name (an e-mail address) and role; the password only as an Argon2id hash, from which it cannot be recovered; whether the account is locked; when it was created, when its password was last changed and when it last logged in; and whether its password has become too common.",
            purpose,
            "Until an administrator removes the account.");
    }

    private static PrivacyNoticeItem PasswordPopularity() => new(
        "Password popularity counts",
        "Counters of how many accounts use each password, over keyed hashes of the passwords (the key is kept apart from the database); with each account, the positions of its own password's counters. Nothing in them can be turned back into a password.",
        "To refuse a password that too many accounts already use, which is what attackers guess first.",
        "As long as this installation runs; an account's counts are taken away when its password changes or the account is removed.");

    private static PrivacyNoticeItem Spraying(Moat.Accounts.Spraying.SprayingOptions spraying)
    {
        var known = spraying.KnownNetworkLifetime > TimeSpan.Zero
            ? $" A network an account logged in from counts as that account's own for {Duration(spraying.KnownNetworkLifetime)} after the login."
            : string.Empty;
        return new(
            "Protection against password guessing",
            $"For each network that logins fail from (the IPv4 /{spraying.IPv4PrefixLength} or IPv6 /{spraying.IPv6PrefixLength} around the address): a score and which accounts it tried; for each account: its recent failed logins, its last failed passwords and the networks it logged in from. Accounts and passwords appear only as keyed fingerprints. Networks blocked now are also saved with the reason.",
            "To slow down and block networks that guess passwords across many accounts, without ever locking an account.",
            $"In memory only, forgotten when the gateway restarts; scores halve every {Duration(spraying.HalfLife)}.{known} A block lasts {Duration(spraying.BlockDuration)} and is kept in the database only while it lasts.");
    }

    private static PrivacyNoticeItem AccessLog(PrivacyOptions privacy) => new(
        "Access log",
        "Who (an account, a local user of the server, or the gateway itself), when, and what: viewing, downloading, releasing or deleting a message, exporting data, changing the configuration, accounts, roles or allow-lists. With it the message's id, whose mail it was (its sender and recipient addresses), the reason given and a short detail; never the content of a message.",
        "So that every access to someone's mail can be traced, and each user can see who accessed theirs. The log is tamper-evident.",
        $"Each entry is deleted {Duration(privacy.AccessLogRetention)} after it was written; the deletion itself is recorded.");

    private static PrivacyNoticeItem ApplicationLogs(PrivacyOptions privacy)
    {
        var addresses = privacy.PseudonymiseAddresses
            ? "sender and recipient addresses, written as keyed pseudonyms (addr:…) that only the operator can match to an address"
            : "sender and recipient addresses";
        return new(
            "Application logs",
            $"One line per event: for each message its {addresses}, the IP address of the sending server (and its host name where it was checked), its size, the results of the checks and the reply given; refused recipients; logins and blocked networks, with account names and IP addresses; errors. Never the body or attachments of a message.",
            "To run the gateway: to trace a message, to find faults and to notice attacks.",
            "Moat writes them to its standard output and keeps no copy; how long they are kept is decided by the operator's log system.");
    }

    private static PrivacyNoticeItem WebSessions(WebOptions web) => new(
        "Web login sessions",
        "A cookie in your browser, signed and encrypted by the gateway, with your account's name and role; and a cookie that protects forms against forgery. The server keeps no record of sessions.",
        "To keep you logged in to the web pages.",
        $"Until you log out, or after {Duration(web.SessionIdleTimeout)} without activity.");

    // Read on every call, so an edited notice shows without a restart.
    private static string? OperatorText(PrivacyOptions privacy)
    {
        if (privacy.NoticeFile is not { } file)
        {
            return null;
        }

        try
        {
            var text = File.ReadAllText(file).Trim();
            return text.Length == 0 ? null : text;
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            // Saying so is better than a page that silently lacks the operator's part.
            return "The operator's own notice could not be read just now; please ask the operator for it.";
        }
    }

    private static bool IsQuarantine(string? action) => string.Equals(action, "quarantine", StringComparison.OrdinalIgnoreCase);

    private static bool IsMaildir(RouteOptions? route) => string.Equals(route?.Transport, "maildir", StringComparison.OrdinalIgnoreCase);

    /// <summary>"a", "a and b", "a, b and c".</summary>
    private static string Join(List<string> parts, string conjunction) => parts.Count switch
    {
        1 => parts[0],
        _ => string.Join(", ", parts[..^1]) + $" {conjunction} " + parts[^1],
    };

    /// <summary>"Every day", "Every 6 hours".</summary>
    private static string Every(TimeSpan span)
    {
        var words = Duration(span);
        return "Every " + (words.StartsWith("1 ", StringComparison.Ordinal) ? words[2..] : words);
    }

    /// <summary>A time span in words, in the largest unit that states it exactly: "30 days", "36 hours", "15 minutes".</summary>
    internal static string Duration(TimeSpan span)
    {
        static string Count(double value, string unit) =>
            $"{value.ToString("0.###", CultureInfo.InvariantCulture)} {unit}{(value == 1 ? string.Empty : "s")}";

        if (span.Ticks % TimeSpan.TicksPerDay == 0 && span >= TimeSpan.FromDays(1))
        {
            return Count(span.TotalDays, "day");
        }

        if (span.Ticks % TimeSpan.TicksPerHour == 0 && span >= TimeSpan.FromHours(1))
        {
            return Count(span.TotalHours, "hour");
        }

        return span.Ticks % TimeSpan.TicksPerMinute == 0 && span >= TimeSpan.FromMinutes(1)
            ? Count(span.TotalMinutes, "minute")
            : Count(span.TotalSeconds, "second");
    }
}
