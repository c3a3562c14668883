using System.Text;
using Moat.Scanning.Content;
using Moat.Scanning.Tests.Support;

namespace Moat.Scanning.Tests.Content;

public sealed class ContentWalkerMimeTests
{
    private static readonly string EicarText = Encoding.ASCII.GetString(Walk.Eicar);

    private static string EicarZipBase64 =>
        Convert.ToBase64String(Archives.Zip("eicar.com", EicarText), Base64FormattingOptions.InsertLineBreaks);

    private static string Multipart(string partHeaders, string body, string boundary = "b1") =>
        $"From: a@example.com\r\nTo: b@example.com\r\nSubject: test\r\nMIME-Version: 1.0\r\n" +
        $"Content-Type: multipart/mixed; boundary=\"{boundary}\"\r\n\r\n" +
        $"--{boundary}\r\nContent-Type: text/plain\r\n\r\nhello\r\n" +
        $"--{boundary}\r\n{partHeaders}\r\n\r\n{body}\r\n--{boundary}--\r\n";

    [Fact]
    public async Task YieldsTheRootFirstThenTheDecodedAttachmentAndItsArchiveMembers()
    {
        var message = Multipart(
            "Content-Type: application/zip; name=\"x.zip\"\r\nContent-Disposition: attachment; filename=\"x.zip\"\r\nContent-Transfer-Encoding: base64",
            EicarZipBase64);

        var result = await Walk.MessageAsync(message);

        Assert.Equal(ScanObjectKind.Root, result.Objects[0].Item.Kind);
        var attachment = Assert.Single(result.Named("x.zip"));
        Assert.Equal(ScanObjectKind.MimePart, attachment.Item.Kind);
        Assert.Equal("application/zip", attachment.Item.DeclaredContentType);
        Assert.Equal("PK", attachment.Text[..2]);
        var member = Assert.Single(result.Named("eicar.com"));
        Assert.Equal(ScanObjectKind.ArchiveEntry, member.Item.Kind);
        Assert.Equal(attachment.Item.Depth + 1, member.Item.Depth);
        Assert.True(member.Contains(Walk.Eicar));
        Assert.Empty(result.Violations);
    }

    [Fact]
    public async Task QuotedPrintableIsDecoded()
    {
        var message = Multipart("Content-Type: text/plain; name=a.txt\r\nContent-Transfer-Encoding: quoted-printable", "caf=C3=A9 =3D ok");

        var result = await Walk.MessageAsync(message);

        Assert.Contains(result.Named("a.txt"), o => o.Content.AsSpan().IndexOf("caf\u00e9 = ok"u8) >= 0);
    }

    [Fact]
    public async Task Base64WithGarbageIsStillDecoded()
    {
        var garbled = string.Join("\r\n", EicarZipBase64.Split("\r\n").Select(line => line.Insert(line.Length / 2, "%#!")));
        var message = Multipart("Content-Type: application/octet-stream; name=g.zip\r\nContent-Transfer-Encoding: base64", garbled);

        var result = await Walk.MessageAsync(message);

        Assert.True(result.AnyContains(Walk.Eicar));
    }

    [Fact]
    public async Task TwoContentTransferEncodingHeadersAreDecodedBothWays()
    {
        // One client takes the first header, another the last: the content must be found either way.
        var qp = string.Concat(Archives.Zip("eicar.com", EicarText).Select(b => $"={b:X2}")).Chunk(72).Select(c => new string(c) + "=");
        var message = Multipart(
            "Content-Type: application/octet-stream; name=q.zip\r\nContent-Transfer-Encoding: base64\r\nContent-Transfer-Encoding: quoted-printable",
            string.Join("\r\n", qp));

        var result = await Walk.MessageAsync(message);

        Assert.True(result.AnyContains(Walk.Eicar));
    }

    [Fact]
    public async Task TwoContentTypeHeadersWithDifferentBoundariesAreBothFollowed()
    {
        var message =
            "From: a@example.com\r\nMIME-Version: 1.0\r\n" +
            "Content-Type: multipart/mixed; boundary=\"good\"\r\n" +
            "Content-Type: multipart/mixed; boundary=\"bad\"\r\n\r\n" +
            "--good\r\nContent-Type: application/zip; name=e.zip\r\nContent-Transfer-Encoding: base64\r\n\r\n" +
            EicarZipBase64 + "\r\n--good--\r\n";

        var result = await Walk.MessageAsync(message);

        Assert.True(result.AnyContains(Walk.Eicar));
    }

    [Fact]
    public async Task AMissingEndBoundaryLosesNothing()
    {
        var message =
            "From: a@example.com\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"b\"\r\n\r\n" +
            "--b\r\nContent-Type: application/zip; name=e.zip\r\nContent-Transfer-Encoding: base64\r\n\r\n" + EicarZipBase64 + "\r\n";

        var result = await Walk.MessageAsync(message);

        Assert.True(result.AnyContains(Walk.Eicar));
    }

    [Fact]
    public async Task ABodyHiddenInThePreambleByAWrongBoundaryIsFoundByTheRawReading()
    {
        // The declared boundary never occurs: MimeKit sees one empty multipart, a client that guesses sees the zip.
        var message =
            "From: a@example.com\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"nothere\"\r\n\r\n" +
            "--other\r\nContent-Type: application/zip; name=e.zip\r\nContent-Transfer-Encoding: base64\r\n\r\n" + EicarZipBase64 + "\r\n--other--\r\n";

        var result = await Walk.MessageAsync(message);

        Assert.True(result.AnyContains(Walk.Eicar));
    }

    [Fact]
    public async Task UuencodedBlocksInsideTextAreYieldedWithTheirName()
    {
        var body = "See attached.\r\n\r\n" + Uuencode("report.zip", Archives.Zip("eicar.com", EicarText)) + "\r\nBye\r\n";
        var message = "From: a@example.com\r\nSubject: uu\r\n\r\n" + body;

        var result = await Walk.MessageAsync(message);

        var block = Assert.Single(result.Named("report.zip"));
        Assert.Equal("PK", block.Text[..2]);
        Assert.True(result.AnyContains(Walk.Eicar));
    }

    [Fact]
    public async Task YencBlocksInsideTextAreYieldedWithTheirName()
    {
        var body = "=ybegin line=128 size=68 name=eicar.com\r\n" + Yenc(Walk.Eicar) + "\r\n=yend size=68\r\n";
        var message = Multipart("Content-Type: text/plain", body);

        var result = await Walk.MessageAsync(message);

        var block = Assert.Single(result.Named("eicar.com"));
        Assert.Equal(Walk.Eicar, block.Content);
    }

    [Fact]
    public async Task Rfc2231NamesAreDecodedTheWayClientsShowThem()
    {
        var message = Multipart(
            "Content-Type: application/octet-stream\r\nContent-Disposition: attachment; filename*0*=UTF-8''r%C3%A9sum; filename*1=\"e.pdf\"\r\nContent-Transfer-Encoding: base64",
            Convert.ToBase64String("%PDF-1.4"u8.ToArray()));

        var result = await Walk.MessageAsync(message);

        Assert.Single(result.Named("r\u00e9sume.pdf"));
    }

    [Fact]
    public async Task OutOfOrderRfc2231ContinuationsAlsoGiveTheJoinedName()
    {
        var message = Multipart(
            "Content-Type: application/octet-stream; name*1=\".zip\"; name*0=\"file\"\r\nContent-Transfer-Encoding: base64",
            Convert.ToBase64String("data"u8.ToArray()));

        var result = await Walk.MessageAsync(message);

        Assert.NotEmpty(result.Named("file.zip"));
    }

    [Fact]
    public async Task NestedMessagesAreWalkedAsMessages()
    {
        var inner = Multipart("Content-Type: application/zip; name=inner.zip\r\nContent-Transfer-Encoding: base64", EicarZipBase64, "inner");
        var message = Multipart("Content-Type: message/rfc822", inner, "outer");

        var result = await Walk.MessageAsync(message);

        Assert.Contains(result.Objects, o => o.Item.Kind == ScanObjectKind.NestedMessage);
        var zip = Assert.Single(result.Named("inner.zip"));
        Assert.True(zip.Item.Depth >= 3);
        Assert.True(result.AnyContains(Walk.Eicar));
    }

    [Fact]
    public async Task AnAttachedEmlFileIsWalkedAsAMessage()
    {
        var inner = Multipart("Content-Type: application/zip; name=inner.zip\r\nContent-Transfer-Encoding: base64", EicarZipBase64, "inner");
        var message = Multipart(
            "Content-Type: application/octet-stream; name=fwd.eml\r\nContent-Transfer-Encoding: base64",
            Convert.ToBase64String(Encoding.ASCII.GetBytes(inner), Base64FormattingOptions.InsertLineBreaks), "outer");

        var result = await Walk.MessageAsync(message);

        Assert.Single(result.Named("inner.zip"));
        Assert.True(result.AnyContains(Walk.Eicar));
    }

    [Fact]
    public async Task DeepMimeNestingStopsAtTheDepthLimitWithAViolation()
    {
        var body = "Content-Type: text/plain\r\n\r\nbottom";
        for (var level = 0; level < 30; level++)
        {
            body = $"Content-Type: multipart/mixed; boundary=\"l{level}\"\r\n\r\n--l{level}\r\n{body}\r\n--l{level}--";
        }

        var result = await Walk.MessageAsync("From: a@example.com\r\nMIME-Version: 1.0\r\n" + body + "\r\n", new ScanLimits { MaxDepth = 8 });

        Assert.True(result.HasViolation(LimitNames.Depth));
        Assert.All(result.Objects, o => Assert.True(o.Item.Depth <= 8));
    }

    [Fact]
    public async Task AnMboxIsSplitIntoItsMessages()
    {
        var mbox =
            "From a@example.com Mon Jan  1 00:00:00 2024\nFrom: a@example.com\nSubject: one\n\nfirst body\n\n" +
            "From b@example.com Mon Jan  1 00:00:00 2024\nFrom: b@example.com\nSubject: two\n\nsecond body\n";

        var result = await Walk.BytesAsync("inbox.mbox", Encoding.ASCII.GetBytes(mbox));

        Assert.Equal(2, result.Objects.Count(o => o.Item.Kind == ScanObjectKind.NestedMessage));
        Assert.Contains(result.Objects, o => o.Text.Contains("second body", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AFileRootThatIsAMessageIsWalkedAsOne()
    {
        using var folder = new Moat.Testing.TempFolder();
        var path = folder.Combine("spool-file");
        await File.WriteAllTextAsync(path, Multipart("Content-Type: application/zip; name=a.zip\r\nContent-Transfer-Encoding: base64", EicarZipBase64));

        var fromFile = await Walk.RootAsync(ScanRoots.FromFile(path));
        var fromMessage = await Walk.RootAsync(ScanRoots.FromMessage(path));

        Assert.Equal("spool-file", fromFile.Objects[0].Item.FileName);
        Assert.True(fromFile.AnyContains(Walk.Eicar));
        Assert.True(fromMessage.AnyContains(Walk.Eicar));
    }

    [Fact]
    public async Task LargePartsGoToTempFilesThatAreDeletedWhenTheConsumerStopsEarly()
    {
        var big = new byte[3 << 20];
        new Random(1).NextBytes(big);
        var message = Multipart(
            "Content-Type: application/octet-stream; name=big.bin\r\nContent-Transfer-Encoding: base64",
            Convert.ToBase64String(big, Base64FormattingOptions.InsertLineBreaks));
        var walker = new ContentWalker(new ScanLimits());
        string? spoolFile = null;

        await foreach (var item in walker.WalkAsync(Walk.Root("m.eml", Encoding.ASCII.GetBytes(message), true), new List<LimitViolation>(), CancellationToken.None))
        {
            if (item.FileName == "big.bin")
            {
                await using var stream = await item.Open(CancellationToken.None);
                spoolFile = Assert.IsType<FileStream>(stream).Name;
                Assert.True(File.Exists(spoolFile));
                break;
            }
        }

        Assert.NotNull(spoolFile);
        Assert.False(File.Exists(spoolFile));
        Assert.False(Directory.Exists(Path.GetDirectoryName(spoolFile)));
    }

    [Fact]
    public async Task CancellationIsHonoured()
    {
        var message = Multipart("Content-Type: application/zip; name=x.zip\r\nContent-Transfer-Encoding: base64", EicarZipBase64);
        using var cancel = new CancellationTokenSource();
        var walker = new ContentWalker(new ScanLimits());

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var _ in walker.WalkAsync(Walk.Root("m.eml", Encoding.ASCII.GetBytes(message), true), new List<LimitViolation>(), cancel.Token))
            {
                await cancel.CancelAsync();
            }
        });
    }

    [Fact]
    public async Task GarbageInputNeverThrows()
    {
        var random = new Random(7);
        for (var i = 0; i < 20; i++)
        {
            var bytes = new byte[random.Next(1, 4000)];
            random.NextBytes(bytes);
            var result = await Walk.RootAsync(Walk.Root("junk", bytes, isMessage: i % 2 == 0));
            Assert.NotEmpty(result.Objects);
        }
    }

    private static string Uuencode(string name, byte[] data)
    {
        var builder = new StringBuilder($"begin 644 {name}\r\n");
        foreach (var line in data.Chunk(45))
        {
            builder.Append((char)(32 + line.Length));
            for (var i = 0; i < line.Length; i += 3)
            {
                var b0 = line[i];
                var b1 = i + 1 < line.Length ? line[i + 1] : (byte)0;
                var b2 = i + 2 < line.Length ? line[i + 2] : (byte)0;
                foreach (var sextet in new[] { b0 >> 2, (b0 << 4 | b1 >> 4) & 63, (b1 << 2 | b2 >> 6) & 63, b2 & 63 })
                {
                    builder.Append(sextet == 0 ? '`' : (char)(32 + sextet));
                }
            }

            builder.Append("\r\n");
        }

        return builder.Append("`\r\nend").ToString();
    }

    private static string Yenc(byte[] data)
    {
        var builder = new StringBuilder();
        foreach (var b in data)
        {
            var c = (byte)(b + 42);
            if (c is 0 or 10 or 13 or (byte)'=')
            {
                builder.Append('=').Append((char)(byte)(c + 64));
            }
            else
            {
                builder.Append((char)c);
            }
        }

        return builder.ToString();
    }
}
