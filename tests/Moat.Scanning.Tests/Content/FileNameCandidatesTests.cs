using System.Text;
using Moat.Scanning.Content;
using MimeKit;

namespace Moat.Scanning.Tests.Content;

public sealed class FileNameCandidatesTests
{
    [Theory]
    [InlineData("Content-Disposition: attachment; filename=file.z(.gif)ip")]
    [InlineData("Content-Disposition: attachment; filena()me=file.zip")]
    [InlineData("Content-Disposition: attachment; filename=file\\\".zip")]
    [InlineData("Content-Disposition: attachment; filename=\"file\".zip")]
    [InlineData("Content-Disposition: attachment; filename=file;.zip")]
    [InlineData("Content-Disposition: attachment; filename*=UTF-16''%00f%00i%00l%00e%00.%00z%00i%00p")]
    [InlineData("Content-Disposition: attachment; filename=\"=?utf-16?B?AGYAaQBsAGUALgB6AGkAcA==?=\"")]
    [InlineData("Content-Disposition: attachment; filename*1=zip; filename*0=file.")]
    [InlineData("Content-Type: application/octet-stream; name*0=file.\r\nContent-Type: application/octet-stream; name*1=zip")]
    public void TrickyParametersStillYieldTheRealName(string rawHeaders)
    {
        Assert.Contains("file.zip", FileNameCandidates.Collect(Parse(rawHeaders)));
    }

    [Fact]
    public void AnOrdinaryNameIsTheOnlyCandidate()
    {
        var names = FileNameCandidates.Collect(Parse("Content-Type: application/zip; name=\"x.zip\"\r\nContent-Disposition: attachment; filename=\"x.zip\""));

        Assert.Equal(["x.zip"], names);
    }

    private static HeaderList Parse(string rawHeaders) =>
        HeaderList.Load(new MemoryStream(Encoding.UTF8.GetBytes(rawHeaders + "\r\n\r\n")));
}
