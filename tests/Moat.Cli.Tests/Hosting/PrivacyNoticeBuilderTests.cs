using System.Text.Json.Nodes;
using Moat.Cli.Configuration;
using Moat.Cli.Hosting;
using Moat.Testing;
using Moat.Web.Privacy;

namespace Moat.Cli.Tests.Hosting;

/// <summary>The privacy notice from configurations loaded the way <c>moat serve</c> loads them.</summary>
public sealed class PrivacyNoticeBuilderTests : IDisposable
{
    private const string Queue = "Messages waiting for delivery";
    private const string Held = "Messages held in quarantine";
    private const string AwaitingConfirmation = "Messages awaiting their sender's confirmation";
    private const string Maildir = "Delivered mail in local mailboxes";
    private const string TrustLists = "Allow-lists of trusted senders";
    private const string Familiarity = "Familiarity counters";
    private const string ContentStatistics = "Word statistics of the list content check";
    private const string Challenges = "Challenges sent";
    private const string Accounts = "User accounts";
    private const string Popularity = "Password popularity counts";
    private const string Spraying = "Protection against password guessing";
    private const string AccessLog = "Access log";
    private const string ApplicationLogs = "Application logs";
    private const string WebSessions = "Web login sessions";

    private readonly TempFolder folder = new("moat-notice");

    [Fact]
    public void TheEmbeddedDefaultStatesWhatItKeepsAndNothingOfTrust()
    {
        var notice = Build(new JsonObject());

        Assert.Equal([Queue, Held, Maildir, Accounts, Popularity, Spraying, AccessLog, ApplicationLogs, WebSessions], notice.Items.Select(i => i.What));
        Assert.Contains("5 days", Item(notice, Queue).Retention);
        Assert.StartsWith("Deleted 30 days after it arrived", Item(notice, Held).Retention);
        Assert.Contains("for recipients at example.test and localhost,", Item(notice, Maildir).Contents);
        Assert.Contains("Moat itself deletes nothing there", Item(notice, Maildir).Retention);
        Assert.Contains("Argon2id hash", Item(notice, Accounts).Contents);
        Assert.Contains("last logged in", Item(notice, Accounts).Contents);
        Assert.Contains("1 hour", Item(notice, Spraying).Retention);
        Assert.Contains("IPv4 /24", Item(notice, Spraying).Contents);
        Assert.StartsWith("Each entry is deleted 730 days after", Item(notice, AccessLog).Retention);
        Assert.Contains("Never the body", Item(notice, ApplicationLogs).Contents);
        Assert.DoesNotContain("pseudonym", Item(notice, ApplicationLogs).Contents);
        Assert.Contains("operator's log system", Item(notice, ApplicationLogs).Retention);
        Assert.Contains("after 1 hour without activity", Item(notice, WebSessions).Retention);
        Assert.Null(notice.OperatorText);
        Assert.All(notice.Items, item => Assert.False(string.IsNullOrWhiteSpace(item.Purpose)));
    }

    [Fact]
    public void TheRetentionSettingsAreWhatTheNoticeSays()
    {
        var notice = Build(new JsonObject
        {
            ["privacy"] = new JsonObject { ["heldMailRetention"] = "7.00:00:00", ["accessLogRetention"] = "365.00:00:00" },
            ["delivery"] = new JsonObject { ["maxLifetime"] = "2.00:00:00" },
            ["web"] = new JsonObject { ["sessionIdleTimeout"] = "00:15:00" },
        });

        Assert.StartsWith("Deleted 7 days after it arrived", Item(notice, Held).Retention);
        Assert.DoesNotContain("30 days", Item(notice, Held).Retention);
        Assert.Contains("365 days", Item(notice, AccessLog).Retention);
        Assert.Contains("2 days", Item(notice, Queue).Retention);
        Assert.Contains("15 minutes", Item(notice, WebSessions).Retention);
    }

    [Fact]
    public void TheTrustFilterWithChallengesAddsItsStores()
    {
        var notice = Build(TrustOn(new JsonObject { ["unknownSenders"] = "challenge" }));

        Assert.Equal(
            [Queue, Held, AwaitingConfirmation, Maildir, TrustLists, Familiarity, ContentStatistics, Challenges, Accounts, Popularity, Spraying, AccessLog, ApplicationLogs, WebSessions],
            notice.Items.Select(i => i.What));
        Assert.Contains("deleted 14 days after it arrived", Item(notice, AwaitingConfirmation).Retention);
        Assert.Contains("Deleted 14 days after the challenge was sent", Item(notice, Challenges).Retention);
        Assert.Contains("at most once a day", Item(notice, Challenges).Purpose);
        Assert.Contains("learned from the mail a user sends", Item(notice, TrustLists).Contents);
        Assert.Contains("a sender who answered a challenge", Item(notice, TrustLists).Contents);
        Assert.Contains("Learned entries do not expire by themselves", Item(notice, TrustLists).Retention);
        Assert.Contains("IP address", Item(notice, Familiarity).Contents);
        Assert.Contains("senders nobody here knows yet", Item(notice, Held).Purpose);
        Assert.Contains("Every day each recipient is sent a list", Item(notice, Held).Purpose);
        Assert.Contains("keyed hash", Item(notice, ContentStatistics).Contents);
        Assert.Contains("mailing lists that look like spam", Item(notice, Held).Purpose);
    }

    [Fact]
    public void ChallengeHeldMailIsKeptNoLongerThanHeldMailRetention()
    {
        var configuration = TrustOn(new JsonObject { ["unknownSenders"] = "challenge" });
        configuration["privacy"] = new JsonObject { ["heldMailRetention"] = "5.00:00:00" };

        var notice = Build(configuration);

        Assert.Contains("deleted 5 days after it arrived", Item(notice, AwaitingConfirmation).Retention);
    }

    [Fact]
    public void OnlyTheTrustStoresTheSettingsUseAreListed()
    {
        var notice = Build(TrustOn(new JsonObject
        {
            ["unknownSenders"] = "accept",
            ["learnedEntryLifetime"] = "365.00:00:00",
            ["familiarity"] = new JsonObject { ["enabled"] = false },
            ["listContent"] = new JsonObject { ["enabled"] = false },
        }));

        Assert.Contains(TrustLists, notice.Items.Select(i => i.What));
        Assert.DoesNotContain(Familiarity, notice.Items.Select(i => i.What));
        Assert.DoesNotContain(ContentStatistics, notice.Items.Select(i => i.What));
        Assert.DoesNotContain(Challenges, notice.Items.Select(i => i.What));
        Assert.DoesNotContain(AwaitingConfirmation, notice.Items.Select(i => i.What));
        Assert.Contains("Learned entries are deleted 365 days after the user last wrote to that address", Item(notice, TrustLists).Retention);
        Assert.DoesNotContain("challenge", Item(notice, TrustLists).Contents);
        Assert.DoesNotContain("nobody here knows", Item(notice, Held).Purpose);
    }

    [Fact]
    public void TrustSettingsAloneAddNothingWhileTheFilterIsOff()
    {
        var notice = Build(new JsonObject { ["trust"] = new JsonObject { ["unknownSenders"] = "challenge" } });

        Assert.DoesNotContain(notice.Items, i => i.What is TrustLists or Familiarity or ContentStatistics or Challenges or AwaitingConfirmation);
        Assert.DoesNotContain("nobody here knows", Item(notice, Held).Purpose);
    }

    [Fact]
    public void PseudonymisedLogsAreDescribedAsSuch()
    {
        var notice = Build(new JsonObject { ["privacy"] = new JsonObject { ["pseudonymiseAddresses"] = true } });

        Assert.Contains("keyed pseudonyms", Item(notice, ApplicationLogs).Contents);
    }

    [Fact]
    public void WithoutAWebListenerOrSubmissionThereAreNoSessionsOrLoginProtection()
    {
        var notice = Build(new JsonObject { ["web"] = new JsonObject { ["enabled"] = false } });

        Assert.DoesNotContain(notice.Items, i => i.What is WebSessions or Spraying);
        Assert.Contains(Accounts, notice.Items.Select(i => i.What));
    }

    [Fact]
    public void ASubmissionListenerNeedsLoginProtectionEvenWithoutTheWeb()
    {
        var notice = Build(new JsonObject
        {
            ["web"] = new JsonObject { ["enabled"] = false },
            ["listeners"] = new JsonArray(new JsonObject { ["name"] = "submission", ["port"] = 2587, ["role"] = "submission" }),
        });

        Assert.Contains(Spraying, notice.Items.Select(i => i.What));
        Assert.Contains("send mail through this gateway", Item(notice, Accounts).Purpose);
    }

    [Fact]
    public void LocalMailboxesAppearOnlyWithAMaildirRoute()
    {
        var relayOnly = Build(new JsonObject
        {
            ["delivery"] = new JsonObject { ["routes"] = new JsonObject { ["example.test"] = new JsonObject { ["transport"] = "smtp", ["host"] = "127.0.0.1" } } },
        });
        var everything = Build(new JsonObject
        {
            ["delivery"] = new JsonObject
            {
                ["routes"] = new JsonObject { ["example.test"] = new JsonObject { ["transport"] = "smtp", ["host"] = "127.0.0.1" } },
                ["defaultRoute"] = new JsonObject { ["transport"] = "maildir" },
            },
        });

        Assert.DoesNotContain(Maildir, relayOnly.Items.Select(i => i.What));
        Assert.Contains("for every recipient except those at example.test,", Item(everything, Maildir).Contents);
    }

    [Fact]
    public void AnAntivirusQuarantineIsGivenAsAReasonForHolding()
    {
        var notice = Build(new JsonObject { ["antivirus"] = new JsonObject { ["inbound"] = new JsonObject { ["action"] = "quarantine" } } });

        Assert.Contains("virus scanner", Item(notice, Held).Purpose);
        Assert.DoesNotContain("virus scanner", Item(Build(new JsonObject()), Held).Purpose);
    }

    [Fact]
    public void TheOperatorsNoticeIsReadOnEveryBuild()
    {
        var file = folder.Combine("notice.txt");
        File.WriteAllText(file, "Controller: Example Ltd.\n\nAsk dpo@example.org.\n");
        var options = Load(new JsonObject { ["privacy"] = new JsonObject { ["noticeFile"] = file } });

        var first = PrivacyNoticeBuilder.Build(options);
        File.WriteAllText(file, "Controller: Example plc.");
        var second = PrivacyNoticeBuilder.Build(options);
        File.Delete(file);
        var third = PrivacyNoticeBuilder.Build(options);

        Assert.Equal("Controller: Example Ltd.\n\nAsk dpo@example.org.", first.OperatorText);
        Assert.Equal("Controller: Example plc.", second.OperatorText);
        Assert.Contains("could not be read", third.OperatorText);
    }

    [Theory]
    [InlineData("1.00:00:00", "1 day")]
    [InlineData("730.00:00:00", "730 days")]
    [InlineData("1.12:00:00", "36 hours")]
    [InlineData("01:30:00", "90 minutes")]
    [InlineData("00:00:00.250", "0.25 seconds")]
    [InlineData("00:00:01", "1 second")]
    public void DurationsAreWrittenInTheLargestExactUnit(string span, string words)
    {
        Assert.Equal(words, PrivacyNoticeBuilder.Duration(TimeSpan.Parse(span, System.Globalization.CultureInfo.InvariantCulture)));
    }

    public void Dispose() => folder.Dispose();

    private static JsonObject TrustOn(JsonObject trust) => new()
    {
        ["pipeline"] = new JsonObject { ["order"] = new JsonArray("size", "sender", "relay", "recipient-domains", "antivirus", "trust") },
        ["trust"] = trust,
    };

    private static PrivacyNoticeItem Item(PrivacyNotice notice, string what) => Assert.Single(notice.Items, i => i.What == what);

    private PrivacyNotice Build(JsonObject configuration) => PrivacyNoticeBuilder.Build(Load(configuration));

    private MoatOptions Load(JsonObject configuration)
    {
        configuration["hostName"] ??= "mx.example.test";
        var file = folder.Combine($"moat-{Guid.NewGuid():N}.json");
        File.WriteAllText(file, configuration.ToJsonString());
        return ConfigurationLoader.Load(file, folder.Combine("data"));
    }
}
