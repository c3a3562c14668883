using System.Collections.Concurrent;
using Moat.Scanning.Content;
using Moat.Scanning.Scanning;

namespace Moat.Cli.Commands;

/// <summary>
/// Scans the files <see cref="ScanInputFinder"/> found, a few at a time, and turns each report
/// into a file result. Mail files (.eml, Maildir, mbox) go to the mail scanner, which may run
/// more engines (the attachment heuristics) than the one for other files.
/// </summary>
internal sealed class ScanRunner
{
    private readonly MultiEngineScanner fileScanner;
    private readonly MultiEngineScanner mailScanner;
    private readonly int parallelism;

    public ScanRunner(MultiEngineScanner fileScanner, MultiEngineScanner mailScanner, int parallelism)
    {
        this.fileScanner = fileScanner;
        this.mailScanner = mailScanner;
        this.parallelism = parallelism;
    }

    /// <summary>
    /// Scans every input; the results come back sorted by path. When <paramref name="cancellationToken"/>
    /// fires (Ctrl+C) the results so far are returned and <paramref name="interrupted"/> is set.
    /// </summary>
    public async Task<(IReadOnlyList<ScanFileResult> Results, bool Interrupted)> RunAsync(
        IReadOnlyList<ScanInput> inputs, ScanProgress progress, CancellationToken cancellationToken)
    {
        var results = new ConcurrentBag<ScanFileResult>();
        var interrupted = false;
        try
        {
            await Parallel.ForEachAsync(
                inputs,
                new ParallelOptions { MaxDegreeOfParallelism = parallelism, CancellationToken = cancellationToken },
                async (input, token) =>
                {
                    var result = await ScanFileAsync(input, token);
                    results.Add(result);
                    progress.Finished(result, input.Length);
                });
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            interrupted = true;
        }

        return (results.OrderBy(r => r.Path, StringComparer.Ordinal).ToArray(), interrupted);
    }

    private async Task<ScanFileResult> ScanFileAsync(ScanInput input, CancellationToken cancellationToken)
    {
        if (input.Length == 0)
        {
            // Nothing to read. Named pipes, sockets and devices also show length 0, and opening
            // a pipe would wait for a writer forever, so they are never opened.
            return new ScanFileResult(input.Path, ScanFileVerdict.Clean, [], [], 0);
        }

        ScanReport report;
        try
        {
            var isMbox = !input.IsMessage && await IsMboxAsync(input.Path, cancellationToken);
            var root = input.IsMessage ? ScanRoots.FromMessage(input.Path) : ScanRoots.FromFile(input.Path);
            var scanner = input.IsMessage || isMbox ? mailScanner : fileScanner;
            report = await scanner.ScanAsync(root, cancellationToken);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return ScanFileResult.Error(input.Path, "cannot read: " + ex.Message);
        }

        return ToResult(input, report);
    }

    /// <summary>An mbox starts with a "From " separator line (the walker splits it into messages).</summary>
    private static async Task<bool> IsMboxAsync(string path, CancellationToken cancellationToken)
    {
        var head = new byte[5];
        await using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, bufferSize: 1, useAsync: true);
        var read = await file.ReadAtLeastAsync(head, head.Length, throwOnEndOfStream: false, cancellationToken);
        return read == head.Length && head.AsSpan().SequenceEqual("From "u8);
    }

    private static ScanFileResult ToResult(ScanInput input, ScanReport report)
    {
        var outcome = report.Outcome;
        return outcome.Kind switch
        {
            ScanOutcomeKind.Clean => new ScanFileResult(input.Path, ScanFileVerdict.Clean, [], [], input.Length),
            ScanOutcomeKind.Infected => new ScanFileResult(
                input.Path,
                ScanFileVerdict.Infected,
                outcome.Threats.Order(StringComparer.Ordinal).ToArray(),
                outcome.Detections.Select(d => $"{d.Engine}: {d.Threat} in {d.ObjectPath}").Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray(),
                input.Length),

            // Part of the content was never scanned: that is not "clean".
            ScanOutcomeKind.LimitExceeded => new ScanFileResult(
                input.Path,
                ScanFileVerdict.Error,
                [],
                outcome.Violations.Select(v => $"not fully unpacked: {v.Limit} at {v.Path}: {v.Detail}").ToArray(),
                input.Length),
            _ => new ScanFileResult(input.Path, ScanFileVerdict.Error, [], outcome.Failures.Select(f => f.ToString()).ToArray(), input.Length),
        };
    }
}
