using System.Security.Cryptography;
using Moat.Scanning.Signatures;
using Moat.Testing;

namespace Moat.Scanning.Tests.Signatures;

public class SignatureLoaderTests
{
    private static readonly byte[] Sample = SignatureTestData.Ascii("some sample content for hashing");

    [Fact]
    public void Hdb_matches_by_md5_and_size()
    {
        var md5 = Convert.ToHexStringLower(MD5.HashData(Sample));
        var set = SignatureLoader.LoadText("a.hdb", $"{md5}:{Sample.Length}:Test.Md5\n{md5}:{Sample.Length + 1}:Other.Size");
        Assert.Equal(2, set.Statistics.Md5Hashes);
        Assert.Equal(["Test.Md5"], set.Scan(Sample));
        Assert.Empty(set.Scan(Sample.AsSpan(1)));
    }

    [Fact]
    public void Hsb_matches_sha1_and_sha256_and_any_size()
    {
        var sha1 = Convert.ToHexString(SHA1.HashData(Sample));
        var sha256 = Convert.ToHexString(SHA256.HashData(Sample));
        var set = SignatureLoader.LoadText("a.hsb", $"{sha1}:{Sample.Length}:Test.Sha1\n{sha256}:*:Test.Sha256:73");
        Assert.Equal(1, set.Statistics.Sha1Hashes);
        Assert.Equal(1, set.Statistics.Sha256Hashes);
        Assert.Equal(["Test.Sha1", "Test.Sha256"], set.Scan(Sample).Order().ToArray());
    }

    [Fact]
    public void Hash_signatures_also_match_when_length_is_unknown()
    {
        var md5 = Convert.ToHexString(MD5.HashData(Sample));
        var set = SignatureLoader.LoadText("a.hdb", $"{md5}:{Sample.Length}:Test.Md5");
        Assert.Equal(["Test.Md5"], SignatureTestData.ScanInChunks(set, Sample, 3));
    }

    [Theory]
    [InlineData("a.hdb", "0123:10:Name", 1, "32 (MD5)")]
    [InlineData("a.hdb", "44d88612fea8a8f36de82e1278abb02f:x:Name", 1, "size 'x'")]
    [InlineData("a.hdb", "44d88612fea8a8f36de82e1278abb02f:68", 1, "not followed by ':'")]
    [InlineData("a.hdb", "44d88612fea8a8f36de82e1278abb02f:68:", 1, "name is missing")]
    [InlineData("a.hsb", "zz d88612fea8a8f36de82e1278abb02f1234567:68:N", 1, "not hexadecimal")]
    [InlineData("a.ndb", "Name:0:*", 1, "found 3 fields")]
    [InlineData("a.ndb", "Name:8:*:414243", 1, "target '8'")]
    [InlineData("a.ndb", "Name:0:abc:414243", 1, "offset 'abc'")]
    [InlineData("a.ndb", "# comment\n\nGood:0:*:414243\nBad:0:*:41424", 4, "odd number")]
    [InlineData("a.ldb", "Name;Target:0;0&1;414243", 1, "subsignature 1 but only 1")]
    [InlineData("a.ldb", "Name;Engine:51-255;0;414243", 1, "Target:n")]
    [InlineData("a.ldb", "Name;Target:0,Colour:3;0;414243", 1, "unknown target description key 'Colour'")]
    [InlineData("a.ldb", "Name;Target:0;0&;414243", 1, "expected a number")]
    [InlineData("a.ldb", "Name;Target:0;(0;414243", 1, "missing ')'")]
    [InlineData("a.ldb", "Name;Target:0;0;41424::z", 1, "unknown modifier 'z'")]
    [InlineData("a.ldb", "Name;Target:0;0", 1, "expected name;Target")]
    public void Bad_lines_name_file_line_and_problem(string file, string text, int line, string problem)
    {
        var ex = Assert.Throws<SignatureLoadException>(() => SignatureLoader.LoadText(file, text));
        Assert.Equal(file, ex.FileName);
        Assert.Equal(line, ex.LineNumber);
        Assert.Contains(problem, ex.Problem);
        Assert.StartsWith($"{file}:{line}: ", ex.Message);
    }

    [Theory]
    [InlineData("a.ndb", "Neg:0:*:4142!(43|44)45")]
    [InlineData("a.ndb", "Ep:1:EP+10:41424344")]
    [InlineData("a.ndb", "Html:3:*:41424344")]
    [InlineData("a.ldb", "Pcre;Target:0;0&1;41424344;0/abc/i")]
    [InlineData("a.ldb", "Wide;Target:0;0;41424344::w")]
    [InlineData("a.ldb", "Ep;Target:1,EntryPoint:10-20;0;41424344")]
    [InlineData("a.ldb", "Counts;Target:0;0>2,1;41424344")]
    public void Unsupported_signatures_are_skipped_and_counted(string file, string text)
    {
        var set = SignatureLoader.LoadText(file, text + "\n" + (file.EndsWith("ndb") ? "Ok:0:*:41424344" : "Ok;Target:0;0;41424344"));
        Assert.Equal(1, set.Statistics.Skipped);
        var warning = Assert.Single(set.Statistics.Warnings);
        Assert.StartsWith($"{file}:1: skipped: ", warning);
        Assert.Equal(1, set.Statistics.BodySignatures + set.Statistics.LogicalSignatures);
    }

    [Fact]
    public void Directory_loads_every_database_and_ignores_other_files()
    {
        using var folder = new TempFolder();
        File.WriteAllText(folder.Combine("one.ndb"), "One:0:*:6f6e652d6d61726b6572\n");
        File.WriteAllText(folder.Combine("two.ldb"), "Two;Target:0;0&1;74776f;2d6d61726b6572\n");
        File.WriteAllText(folder.Combine("three.hdb"), $"{Convert.ToHexString(MD5.HashData(Sample))}:{Sample.Length}:Three\n");
        File.WriteAllText(folder.Combine("local.ign2"), "One\n");
        File.WriteAllText(folder.Combine("readme.txt"), "not a database\n");
        Directory.CreateDirectory(folder.Combine("previous"));
        File.WriteAllText(folder.Combine("previous", "old.ndb"), "Old:0:*:6f6c64\n");

        var set = SignatureLoader.LoadDirectory(folder.Path);

        Assert.Contains("one.ndb", set.Statistics.Files);
        Assert.Contains("two.ldb", set.Statistics.Files);
        Assert.Contains("three.hdb", set.Statistics.Files);
        Assert.Contains(BuiltInSignatures.HdbFileName, set.Statistics.Files);
        Assert.DoesNotContain(set.Statistics.Files, f => f.EndsWith(".ign2") || f.EndsWith(".txt"));
        Assert.Equal(["One", "Two"], set.Scan(SignatureTestData.Ascii("xx one-marker yy two-marker")).Order().ToArray());
        Assert.Equal(["Three"], set.Scan(Sample));
        Assert.Empty(set.Scan(SignatureTestData.Ascii("old")));
    }

    [Fact]
    public void Missing_directory_gives_the_built_in_database()
    {
        var set = SignatureLoader.LoadDirectory(Path.Combine(Path.GetTempPath(), "moat-no-such-folder-" + Guid.NewGuid().ToString("N")));
        Assert.Equal([BuiltInSignatures.EicarName], set.Scan(SignatureTestData.Ascii(SignatureTestData.Eicar)));
    }

    [Fact]
    public void Bad_file_in_directory_names_the_file_and_line()
    {
        using var folder = new TempFolder();
        File.WriteAllText(folder.Combine("good.ndb"), "Good:0:*:414243\n");
        File.WriteAllText(folder.Combine("bad.hdb"), "44d88612fea8a8f36de82e1278abb02f:68:Fine\nnot-a-hash:1:Bad\n");
        var ex = Assert.Throws<SignatureLoadException>(() => SignatureLoader.LoadDirectory(folder.Path));
        Assert.Equal("bad.hdb", ex.FileName);
        Assert.Equal(2, ex.LineNumber);
    }

    [Fact]
    public void Patterns_without_anchor_go_to_the_slow_list_and_still_match()
    {
        var set = SignatureTestData.Ndb("Slow:0:*:41??42??43", "Fast:0:*:41424344");
        Assert.Equal(1, set.Statistics.SlowPatterns);
        Assert.Equal(["Slow"], SignatureTestData.ScanAllWays(set, SignatureTestData.Ascii("zzA1B2Czz")));
    }
}
