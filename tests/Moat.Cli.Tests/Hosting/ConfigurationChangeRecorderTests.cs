using Moat.Cli.Hosting;
using Moat.Storage.AccessLog;
using Moat.Storage.Sqlite;

namespace Moat.Cli.Tests.Hosting;

/// <summary>Configuration changes in the access log: recorded at the first start and whenever the text differs, never copied.</summary>
public sealed class ConfigurationChangeRecorderTests : IDisposable
{
    private const string First = """{ "hostName": "mx.example.org", "relay": { "secret": "s3cret" } }""";
    private const string Second = """{ "hostName": "mx2.example.org", "relay": { "secret": "s3cret" } }""";
    private readonly SqliteStorage storage = SqliteStorage.OpenInMemory();

    [Fact]
    public async Task TheFirstStartAndEachChangeAreRecordedOnce()
    {
        var log = storage.AccessLog;

        await ConfigurationChangeRecorder.RecordAsync(log, "/etc/moat/moat.json", First, default);
        await ConfigurationChangeRecorder.RecordAsync(log, "/etc/moat/moat.json", First, default);
        await ConfigurationChangeRecorder.RecordAsync(log, "/etc/moat/moat.json", Second, default);
        await ConfigurationChangeRecorder.RecordAsync(log, "/srv/moat.json", Second, default);
        await ConfigurationChangeRecorder.RecordAsync(log, null, First, default);

        var entries = await log.ListAsync(new AccessLogQuery(), default);

        Assert.Equal(3, entries.Count);
        Assert.All(entries, e => Assert.Equal((AccessActions.ConfigurationChange, "system"), (e.Action, e.Actor)));
        Assert.Matches("^sha256:[0-9a-f]{64}; file none \\(embedded defaults and MOAT_\\* environment\\)$", entries[0].Detail);
        Assert.Matches("^sha256:[0-9a-f]{64}; file /etc/moat/moat.json$", entries[1].Detail);
        Assert.Equal(ConfigurationChangeRecorder.HashOf(entries[0].Detail), ConfigurationChangeRecorder.HashOf(entries[2].Detail));
        Assert.NotEqual(ConfigurationChangeRecorder.HashOf(entries[1].Detail), ConfigurationChangeRecorder.HashOf(entries[2].Detail));
        Assert.Equal("first start with an access log", entries[2].Reason);
        Assert.All(entries, e => Assert.DoesNotContain("s3cret", e.Detail));
    }

    [Fact]
    public async Task TheLastConfigurationEntryIsFoundBehindManyOtherSystemEntries()
    {
        var log = storage.AccessLog;
        await ConfigurationChangeRecorder.RecordAsync(log, null, First, default);
        for (var i = 0; i < 1200; i++)
        {
            await log.AppendAsync(new AccessLogRecord("system", AccessActions.Delete, $"M{i}"), default);
        }

        await ConfigurationChangeRecorder.RecordAsync(log, null, First, default);

        Assert.Single(await log.ListAsync(new AccessLogQuery(Actor: "system", Limit: 2000), default), e => e.Action == AccessActions.ConfigurationChange);
    }

    public void Dispose() => storage.Dispose();
}
