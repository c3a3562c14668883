using System.IO.Compression;
using System.Text;
using System.Text.Json;
using Moat.Cli.Tests.Support;
using Moat.Testing;

namespace Moat.Cli.Tests.Commands;

/// <summary><c>moat scan</c> run as the real executable, judged by its JSON document and exit code.</summary>
public sealed class ScanCommandTests : IDisposable
{
    private const string Eicar = @"X5O!P%@AP[4\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*";
    private readonly TempFolder folder = new("moat-scan");

    [Fact]
    public async Task AFolderWithVirusesIsReportedFileByFileWithExitCode1()
    {
        await File.WriteAllTextAsync(folder.Combine("clean.txt"), "nothing to see");
        await File.WriteAllTextAsync(folder.Combine("eicar.com"), Eicar);
        using (var zip = ZipFile.Open(folder.Combine("archive.zip"), ZipArchiveMode.Create))
        {
            await using var entry = zip.CreateEntry("deep/eicar.com").Open();
            await entry.WriteAsync(Encoding.ASCII.GetBytes(Eicar));
        }

        var result = await MoatProcess.RunAsync("scan", "--json", folder.Path);

        Assert.True(result.ExitCode == 1, result.ToString());
        using var json = JsonDocument.Parse(result.StandardOutput);
        var verdicts = json.RootElement.GetProperty("files").EnumerateArray()
            .ToDictionary(f => Path.GetFileName(f.GetProperty("path").GetString()!), f => f.GetProperty("verdict").GetString());
        Assert.Equal("clean", verdicts["clean.txt"]);
        Assert.Equal("infected", verdicts["eicar.com"]);
        Assert.Equal("infected", verdicts["archive.zip"]);
    }

    [Fact]
    public async Task MailFilesAreReadAsMail()
    {
        var maildir = Directory.CreateDirectory(folder.Combine("Maildir", "new")).FullName;
        Directory.CreateDirectory(folder.Combine("Maildir", "cur"));
        await File.WriteAllTextAsync(
            Path.Combine(maildir, "1.host"),
            "From: a@example.org\r\nTo: b@example.org\r\nSubject: x\r\nMIME-Version: 1.0\r\nContent-Type: application/octet-stream; name=\"a.bin\"\r\nContent-Transfer-Encoding: base64\r\n\r\n"
            + Convert.ToBase64String(Encoding.ASCII.GetBytes(Eicar)) + "\r\n");

        var result = await MoatProcess.RunAsync("scan", "--json", folder.Combine("Maildir"));

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Contains("Eicar-Signature", result.StandardOutput);
    }

    [Fact]
    public async Task NothingFoundGivesExitCode0AndAMissingPathGives2()
    {
        await File.WriteAllTextAsync(folder.Combine("clean.txt"), "nothing to see");

        var clean = await MoatProcess.RunAsync("scan", folder.Combine("clean.txt"));
        var missing = await MoatProcess.RunAsync("scan", folder.Combine("no-such-file"));

        Assert.True(clean.ExitCode == 0, clean.ToString());
        Assert.Equal(2, missing.ExitCode);
    }

    [Fact]
    public async Task ClamAvTestFilesAreRecognisedOutOfTheBox()
    {
        TestPrerequisites.RequireExecutable("/usr/share/clamav-testfiles/clam.exe", "clamav-testfiles");

        var result = await MoatProcess.RunAsync("scan", "--json", "/usr/share/clamav-testfiles/clam.exe", "/usr/share/clamav-testfiles/clam.zip");

        Assert.True(result.ExitCode == 1, result.ToString());
        using var json = JsonDocument.Parse(result.StandardOutput);
        Assert.All(json.RootElement.GetProperty("files").EnumerateArray(), f => Assert.Equal("infected", f.GetProperty("verdict").GetString()));
    }

    [Fact]
    public async Task ExtraSignaturesComeFromDb()
    {
        await File.WriteAllTextAsync(folder.Combine("custom.txt"), "this file carries the marker MOATTESTMARKER42 somewhere");
        var db = Directory.CreateDirectory(folder.Combine("db")).FullName;
        await File.WriteAllTextAsync(Path.Combine(db, "custom.ndb"), "Moat.Test.Marker:0:*:" + Convert.ToHexString(Encoding.ASCII.GetBytes("MOATTESTMARKER42")).ToLowerInvariant() + "\n");

        var without = await MoatProcess.RunAsync("scan", folder.Combine("custom.txt"));
        var with = await MoatProcess.RunAsync("scan", "--db", db, folder.Combine("custom.txt"));

        Assert.Equal(0, without.ExitCode);
        Assert.True(with.ExitCode == 1, with.ToString());
        Assert.Contains("Moat.Test.Marker", with.StandardOutput);
    }

    public void Dispose() => folder.Dispose();
}
