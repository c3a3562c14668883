using Moat.Scanning.Signatures;

namespace Moat.Scanning.Tests.Signatures;

public class BuiltInSignaturesTests
{
    private static readonly SignatureSet BuiltIn = SignatureLoader.LoadBuiltIn();

    [Fact]
    public void Eicar_alone_is_found_by_hash_and_pattern()
    {
        Assert.Equal([BuiltInSignatures.EicarName], SignatureTestData.ScanAllWays(BuiltIn, SignatureTestData.Ascii(SignatureTestData.Eicar)));
    }

    [Fact]
    public void Eicar_embedded_in_larger_content_is_found()
    {
        var content = new byte[200_000];
        new Random(1).NextBytes(content);
        SignatureTestData.Ascii(SignatureTestData.Eicar).CopyTo(content, 65_500);
        Assert.Equal([BuiltInSignatures.EicarName], SignatureTestData.ScanAllWays(BuiltIn, content));
    }

    [Fact]
    public void Clean_content_is_clean()
    {
        Assert.Empty(SignatureTestData.ScanAllWays(BuiltIn, SignatureTestData.Ascii("X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE")));
    }

    [Theory]
    [InlineData("clam.exe")]
    [InlineData("clam.pdf")]
    [InlineData("clam.ole.doc")]
    [InlineData("clam.ppt")]
    [InlineData("clam.exe.rtf")]
    [InlineData("clam.exe.html")]
    [InlineData("clam.chm")]
    [InlineData("clam.cab")]
    [InlineData("clam.arj")]
    [InlineData("clam-upx.exe")]
    [InlineData("clam-aspack.exe")]
    [InlineData("clam_ISmsi_int.exe")]
    public async Task ClamAv_test_files_are_found(string file)
    {
        var folder = SignatureTestData.RequireClamAvTestFiles();
        await using var stream = File.OpenRead(Path.Combine(folder, file));
        var threats = await BuiltIn.ScanAsync(stream);
        Assert.Contains(BuiltInSignatures.TestFileName, threats);
    }

    [Fact]
    public void Clam_exe_code_is_found_inside_other_pe_content()
    {
        var folder = SignatureTestData.RequireClamAvTestFiles();
        var clam = File.ReadAllBytes(Path.Combine(folder, "clam.exe"));
        var content = new byte[clam.Length + 1000];
        clam.CopyTo(content, 0);
        content[^1] = 1; // no longer the file the hash describes
        Assert.Equal([BuiltInSignatures.TestFileName], SignatureTestData.ScanAllWays(BuiltIn, content));
    }

    [Fact]
    public void Every_plain_test_file_in_the_package_is_detected()
    {
        var folder = SignatureTestData.RequireClamAvTestFiles();
        string[] unpackedByContentWalker = [".zip", ".7z", ".tar.gz", ".tgz", ".mail", ".base64", ".uu"];
        var missed = Directory.EnumerateFiles(folder)
            .Where(f => !unpackedByContentWalker.Any(f.EndsWith))
            .Where(f => BuiltIn.Scan(File.ReadAllBytes(f)).Count == 0)
            .Select(Path.GetFileName)
            .ToArray();
        Assert.Empty(missed);
    }
}
