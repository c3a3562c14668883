using System.Text.Json;
using Microsoft.Data.Sqlite;
using Moat.Cli.Commands;
using Moat.Cli.Tests.Support;
using Moat.Storage.Sqlite;
using Moat.Testing;

namespace Moat.Cli.Tests.Commands;

/// <summary><c>moat audit-log</c> run as the real executable, after the account and trust commands that write the log.</summary>
public sealed class AuditLogCommandTests : IDisposable
{
    private const string Password = "a long enough password";
    private readonly TempFolder folder = new("moat-audit-log");

    private string DataDirectory => folder.Combine("data");

    private string DatabasePath => Path.Combine(DataDirectory, SqliteStorage.DefaultFileName);

    private static string Actor => "cli:" + Environment.UserName;

    [Fact]
    public async Task AccountAndTrustChangesAreListedAndTheLogVerifies()
    {
        var add = await MoatProcess.RunWithInputAsync(Password + "\n", "accounts", "add", "Alice@Example.org", "--role", "administrator", "--data", DataDirectory);
        await Run("accounts", "lock", "alice@example.org");
        await Run("trust", "add", "bob@example.com", "--user", "alice@example.org");
        await Run("trust", "export");

        var list = await Run("audit-log", "list");
        var json = await Run("audit-log", "list", "--subject", "ALICE@example.org", "--json");
        var byNobody = await Run("audit-log", "list", "--actor", "nobody");
        var verify = await Run("audit-log", "verify");

        Assert.True(add.ExitCode == 0, add.ToString());
        Assert.True(list.ExitCode == 0, list.ToString());
        var lines = list.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Matches(@"^#\s+TIME \(UTC\)\s+ACTOR\s+ACTION\s+MESSAGE\s+WHOSE\s+REASON\s+DETAIL$", lines[0]);
        Assert.Matches($@"^5\s+\d{{4}}-\d\d-\d\d \d\d:\d\d:\d\d\s+{Escape(Actor)}\s+export\s+-\s+alice@example\.org\s+-\s+exported 1 entry of every list to standard output$", lines[1]);
        Assert.Matches($@"^4\s.*\s{Escape(Actor)}\s+trust-change\s+-\s+alice@example\.org\s+-\s+added bob@example\.com on alice@example\.org's list \(no expiry\)$", lines[2]);
        Assert.Matches(@"^3\s.*\saccount-change\s+-\s+alice@example\.org\s+-\s+account locked$", lines[3]);
        Assert.Matches(@"^2\s.*\srole-change\s+-\s+alice@example\.org\s+-\s+role administrator given$", lines[4]);
        Assert.Matches(@"^1\s.*\saccount-change\s+-\s+alice@example\.org\s+-\s+account added \(role administrator\)$", lines[5]);
        Assert.Equal("5 entries.", lines[6]);

        Assert.True(json.ExitCode == 0, json.ToString());
        var entries = json.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => JsonDocument.Parse(line).RootElement).ToList();
        Assert.Equal([5L, 4, 3, 2, 1], entries.Select(e => e.GetProperty("sequence").GetInt64()));
        Assert.Equal(["export", "trust-change", "account-change", "role-change", "account-change"], entries.Select(e => e.GetProperty("action").GetString()));
        Assert.All(entries, e => Assert.Equal(Actor, e.GetProperty("actor").GetString()));
        Assert.All(entries, e => Assert.Equal(["alice@example.org"], e.GetProperty("dataSubjects").EnumerateArray().Select(s => s.GetString())));
        Assert.Equal(JsonValueKind.Null, entries[0].GetProperty("messageId").ValueKind);
        Assert.Equal(entries[1].GetProperty("hash").GetString(), entries[0].GetProperty("previousHash").GetString());
        Assert.Equal(new string('0', 64), entries[4].GetProperty("previousHash").GetString());

        Assert.True(byNobody.ExitCode == 0, byNobody.ToString());
        Assert.Equal("No access-log entries match.", byNobody.StandardOutput.Trim());

        Assert.True(verify.ExitCode == 0, verify.ToString());
        Assert.Equal($"Access log intact: 5 entries, head {entries[0].GetProperty("hash").GetString()}", verify.StandardOutput.Trim());
    }

    [Fact]
    public async Task AnEntryEditedOnDiskIsReportedAsTheFirstBreak()
    {
        await MoatProcess.RunWithInputAsync(Password + "\n", "accounts", "add", "alice@example.org", "--data", DataDirectory);
        await Run("accounts", "lock", "alice@example.org");
        await Run("accounts", "unlock", "alice@example.org");
        var before = await Run("audit-log", "verify");

        // Make the lock look like something else, as someone with write access to the file could.
        Execute("UPDATE access_log SET detail = 'password changed' WHERE sequence = 2;");
        var verify = await Run("audit-log", "verify");

        Assert.True(before.ExitCode == 0, before.ToString());
        Assert.StartsWith("Access log intact: 3 entries, head ", before.StandardOutput);
        Assert.Equal(ExitCodes.AccessLogBroken, verify.ExitCode);
        var lines = verify.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("Access log BROKEN at entry #2: contents do not match its hash", lines[0]);
        Assert.Contains("backup", lines[1]);
        Assert.Contains("The entries before #2 are trustworthy", lines[1]);
    }

    [Fact]
    public async Task ADeletedEntryIsReported()
    {
        await MoatProcess.RunWithInputAsync(Password + "\n", "accounts", "add", "alice@example.org", "--data", DataDirectory);
        await Run("accounts", "lock", "alice@example.org");
        await Run("accounts", "unlock", "alice@example.org");

        Execute("DELETE FROM access_log WHERE sequence = 2;");
        var verify = await Run("audit-log", "verify");

        Assert.Equal(ExitCodes.AccessLogBroken, verify.ExitCode);
        Assert.StartsWith("Access log BROKEN at entry #2: missing", verify.StandardOutput);
    }

    [Fact]
    public async Task AnEmptyLogVerifiesAndABadLimitIsRefused()
    {
        var verify = await Run("audit-log", "verify");
        var badLimit = await Run("audit-log", "list", "--limit", "0");

        Assert.True(verify.ExitCode == 0, verify.ToString());
        Assert.Equal($"Access log intact: 0 entries, head {new string('0', 64)}", verify.StandardOutput.Trim());
        Assert.Equal(ExitCodes.ConfigurationError, badLimit.ExitCode);
    }

    public void Dispose() => folder.Dispose();

    private Task<CommandResult> Run(params string[] arguments) =>
        MoatProcess.RunAsync([.. arguments, "--data", DataDirectory]);

    private static string Escape(string text) => System.Text.RegularExpressions.Regex.Escape(text);

    private void Execute(string sql)
    {
        using var connection = new SqliteConnection($"Data Source={DatabasePath};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
