using System.IO.Pipelines;
using System.Runtime.CompilerServices;
using MimeKit;

namespace Moat.Scanning.Content;

/// <summary>
/// Expands a message into its parts with MimeKit, then looks at the raw message again for
/// attachments a different MIME reading would find (see <see cref="EncodedBlockScanner"/>), and
/// gives each part every file name a client might show (see <see cref="FileNameCandidates"/>).
/// </summary>
internal static class MimeExpander
{
    public static async IAsyncEnumerable<ScanObject> ExpandMessageAsync(
        WalkSession session, ScanObject message, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var parsed = await ParseAsync(session, message, MimeFormat.Entity, cancellationToken);
        try
        {
            if (parsed.Messages.Count > 0)
            {
                await foreach (var child in ExpandEntityAsync(session, message, parsed.Messages[0].Body, "part 1", message.Depth + 1, cancellationToken))
                {
                    yield return child;
                }
            }
        }
        finally
        {
            // The parsed parts read from this stream (persistent parsing), so it lives as long as they are walked.
            parsed.Stream?.Dispose();
        }

        // Whatever MimeKit made of the structure, a client may have read it differently: look at the raw text too.
        await foreach (var salvaged in EncodedBlockScanner.SalvageAsync(session, message, cancellationToken))
        {
            yield return salvaged;
        }
    }

    public static async IAsyncEnumerable<ScanObject> ExpandMboxAsync(
        WalkSession session, ScanObject mbox, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var parsed = await ParseAsync(session, mbox, MimeFormat.Mbox, cancellationToken);
        try
        {
            var index = 0;
            foreach (var message in parsed.Messages)
            {
                index++;
                var path = $"{mbox.Path} › message {index}";
                var copy = await CopyMessageAsync(session, message, path, cancellationToken);
                yield return new ScanObject(path, ScanObjectKind.NestedMessage, copy.Content.OpenAsync)
                {
                    DeclaredContentType = ScanRoots.MessageContentType,
                    Length = copy.Content.Length,
                    Depth = mbox.Depth + 1,
                };
            }
        }
        finally
        {
            parsed.Stream?.Dispose();
        }
    }

    private static async ValueTask<ParsedMessages> ParseAsync(
        WalkSession session, ScanObject item, MimeFormat format, CancellationToken cancellationToken)
    {
        var messages = new List<MimeMessage>();
        Stream? stream = null;
        try
        {
            stream = await item.Open(cancellationToken);

            // Persistent parsing leaves part contents in the (seekable) source instead of copying them into memory.
            var parser = new MimeParser(CreateOptions(session.Limits), stream, format, persistent: stream.CanSeek);
            do
            {
                messages.Add(await parser.ParseMessageAsync(cancellationToken));
            }
            while (format == MimeFormat.Mbox && !parser.IsEndOfStream && messages.Count < session.Limits.MaxObjects);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            if (messages.Count == 0 || format != MimeFormat.Mbox)
            {
                session.AddViolation(LimitNames.DamagedMessage, item.Path, "MIME parse failed: " + ex.Message);
            }
        }

        return new ParsedMessages(messages, stream);
    }

    private static ParserOptions CreateOptions(ScanLimits limits) => new()
    {
        // The parser's cap sits just past the walk's depth limit, so the walk (which reports it) stops first.
        MaxMimeDepth = Math.Max(1, limits.MaxDepth) + 2,
        ParameterComplianceMode = RfcComplianceMode.Looser,
        Rfc2047ComplianceMode = RfcComplianceMode.Looser,
        RespectContentLength = false,
    };

    private static async IAsyncEnumerable<ScanObject> ExpandEntityAsync(
        WalkSession session, ScanObject message, MimeEntity? entity, string label, int depth,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        if (entity is null || session.Stopped)
        {
            yield break;
        }

        if (depth > session.Limits.MaxDepth)
        {
            session.AddViolation(LimitNames.Depth, $"{message.Path} › {label}", $"MIME nested deeper than {session.Limits.MaxDepth} levels");
            yield break;
        }

        switch (entity)
        {
            case Multipart multipart:
                for (var i = 0; i < multipart.Count; i++)
                {
                    await foreach (var child in ExpandEntityAsync(session, message, multipart[i], $"{label}.{i + 1}", depth + 1, cancellationToken))
                    {
                        yield return child;
                    }
                }

                break;

            case MessagePart { Message: not null } messagePart:
                var nestedPath = Describe(message, label, messagePart.ContentDisposition?.FileName);
                var nested = await CopyMessageAsync(session, messagePart.Message, nestedPath, cancellationToken);
                session.MarkSeen(nested.Hash);
                yield return new ScanObject(nestedPath, ScanObjectKind.NestedMessage, nested.Content.OpenAsync)
                {
                    FileName = messagePart.ContentDisposition?.FileName,
                    DeclaredContentType = messagePart.ContentType.MimeType.ToLowerInvariant(),
                    Length = nested.Content.Length,
                    Depth = depth,
                };
                break;

            case MimePart part:
                await foreach (var item in ExpandPartAsync(session, message, part, label, depth, cancellationToken))
                {
                    yield return item;
                }

                break;
        }
    }

    private static async IAsyncEnumerable<ScanObject> ExpandPartAsync(
        WalkSession session, ScanObject message, MimePart part, string label, int depth,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        if (part.Content is null)
        {
            yield break;
        }

        var fileName = SafeFileName(part);
        var path = Describe(message, label, fileName);
        CopyResult copy;
        await using (var decoded = part.Content.Open())
        {
            copy = await session.CopyAsync(decoded, path, null, LimitNames.DamagedMessage, cancellationToken);
        }

        session.MarkSeen(copy.Hash);
        var declared = part.ContentType.MimeType.ToLowerInvariant();
        yield return new ScanObject(path, ScanObjectKind.MimePart, copy.Content.OpenAsync)
        {
            FileName = fileName,
            DeclaredContentType = declared,
            Length = copy.Content.Length,
            Depth = depth,
        };

        // Clients disagree on mangled transfer encodings (two headers, junk, broken padding or escapes): decode the raw body every lenient way.
        var primary = new ScanObject(path, ScanObjectKind.MimePart, copy.Content.OpenAsync)
        {
            FileName = fileName,
            DeclaredContentType = declared,
            Depth = depth,
        };
        var transferEncodings = string.Join(" ", part.Headers.Where(h => h.Id == HeaderId.ContentTransferEncoding).Select(h => h.Value));
        if (part.Content.Stream is { } raw && !IsIdentityEncoding(transferEncodings))
        {
            if (raw.CanSeek)
            {
                raw.Position = 0;
            }

            foreach (var alternative in await EncodedBlockScanner.DecodePartBodyAsync(session, raw, primary, transferEncodings, cancellationToken))
            {
                yield return alternative;
            }
        }

        // Clients disagree on broken or duplicate name parameters: show the content under every name one of them would use.
        foreach (var alternative in FileNameCandidates.Collect(part.Headers))
        {
            if (string.Equals(alternative, fileName, StringComparison.Ordinal))
            {
                continue;
            }

            yield return new ScanObject($"{path} [also named {alternative}]", ScanObjectKind.MimePart, copy.Content.OpenAsync)
            {
                FileName = alternative,
                DeclaredContentType = declared,
                Length = copy.Content.Length,
                Depth = depth,
            };
        }
    }

    /// <summary>
    /// No transfer encoding, or one clean identity encoding: every client reads such a body as it
    /// is, so there is no other decoding to try (the raw-text scan still looks for encoded blocks in it).
    /// </summary>
    private static bool IsIdentityEncoding(string transferEncodings) =>
        transferEncodings.Trim().ToLowerInvariant() is "" or "7bit" or "8bit" or "binary";

    private static string? SafeFileName(MimePart part)
    {
        try
        {
            return part.FileName;
        }
        catch (Exception)
        {
            // A name MimeKit cannot decode is still covered by FileNameCandidates.
            return null;
        }
    }

    private static async ValueTask<CopyResult> CopyMessageAsync(
        WalkSession session, MimeMessage message, string path, CancellationToken cancellationToken)
    {
        // MimeKit writes the message out as it was parsed; a pipe streams it into the spool without a full copy in memory.
        var pipe = new Pipe();
        var writer = Task.Run(async () =>
        {
            try
            {
                await using var output = pipe.Writer.AsStream();
                await message.WriteToAsync(output, cancellationToken);
                await pipe.Writer.CompleteAsync();
            }
            catch (Exception ex)
            {
                await pipe.Writer.CompleteAsync(ex);
            }
        }, cancellationToken);

        CopyResult result;
        await using (var input = pipe.Reader.AsStream())
        {
            result = await session.CopyAsync(input, path, null, LimitNames.DamagedMessage, cancellationToken);
        }

        await writer;
        return result;
    }

    private static string Describe(ScanObject message, string label, string? fileName) =>
        fileName is null ? $"{message.Path} › {label}" : $"{message.Path} › {label} ({fileName})";

    private sealed record ParsedMessages(List<MimeMessage> Messages, Stream? Stream);
}
