using System.Globalization;
using DnsClient;
using MimeKit;
using MimeKit.Cryptography;
using Org.BouncyCastle.Crypto.Parameters;

namespace Moat.Trust.Authentication;

/// <summary>
/// Verifies the DKIM-Signature headers of a message with MimeKit's <see cref="DkimVerifier"/> and
/// our DNS key locator. The message is parsed in persistent mode, so bodies stay in the file and
/// body hashes are computed by streaming. At most <see cref="MaxSignatures"/> signatures are
/// checked (the top-most, i.e. the most recently added), all within <see cref="Timeout"/>.
/// Body length limits (l=) are honoured as MimeKit does: only the first l octets are hashed.
/// </summary>
public sealed class DkimChecker
{
    public const int DefaultMaxSignatures = 5;

    private readonly ILookupClient dns;

    public DkimChecker(ILookupClient dns)
    {
        ArgumentNullException.ThrowIfNull(dns);
        this.dns = dns;
    }

    /// <summary>Signatures beyond this many are not checked (each costs a DNS lookup and a body hash).</summary>
    public int MaxSignatures { get; init; } = DefaultMaxSignatures;

    /// <summary>Time for all signatures of one message; what is left unchecked after it is temperror.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>The clock for signature expiry (x=).</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>Verifies a whole RFC 5322 message read from a seekable stream (left open).</summary>
    public async Task<IReadOnlyList<DkimOutcome>> VerifyAsync(Stream message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        var parsed = await ParseAsync(message, cancellationToken).ConfigureAwait(false);
        return parsed is null ? [] : await VerifyAsync(parsed, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Verifies a message parsed by the caller (whose streams must stay open meanwhile).</summary>
    public async Task<IReadOnlyList<DkimOutcome>> VerifyAsync(MimeMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        var signatures = message.Headers.Where(h => h.Id == HeaderId.DkimSignature).Take(MaxSignatures).ToList();
        var outcomes = new List<DkimOutcome>(signatures.Count);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Timeout);
        foreach (var signature in signatures)
        {
            if (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                outcomes.Add(new DkimOutcome(DkimResult.TempError, null, null, "verification timed out"));
                continue;
            }

            outcomes.Add(await VerifyOneAsync(message, signature, timeout.Token, cancellationToken).ConfigureAwait(false));
        }

        return outcomes;
    }

    /// <summary>
    /// Parses without loading bodies into memory (persistent mode keeps them as ranges of the
    /// stream); null when the stream holds no parsable header block.
    /// </summary>
    internal static async Task<MimeMessage?> ParseAsync(Stream message, CancellationToken cancellationToken)
    {
        var parser = new MimeParser(message, MimeFormat.Entity, persistent: true);
        try
        {
            return await parser.ParseMessageAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (FormatException)
        {
            return null;
        }
    }

    private async Task<DkimOutcome> VerifyOneAsync(MimeMessage message, Header signature, CancellationToken timeoutToken, CancellationToken callerToken)
    {
        var tags = DkimTagList.Parse(signature.Value);
        if (tags is null)
        {
            return new DkimOutcome(DkimResult.PermError, null, null, "malformed signature");
        }

        var domain = tags.Get("d");
        var selector = tags.Get("s");
        DkimOutcome Outcome(DkimResult result, string? reason) => new(result, domain, selector, reason);

        var problem = CheckTags(tags);
        if (problem is not null)
        {
            return Outcome(problem.Value.Result, problem.Value.Reason);
        }

        var locator = new DnsDkimPublicKeyLocator(new DnsLookup(dns));
        var verifier = new DkimVerifier(locator);
        bool verified;
        try
        {
            verified = await verifier.VerifyAsync(message, signature, timeoutToken).ConfigureAwait(false);
        }
        catch (DkimKeyException ex)
        {
            return Outcome(ex.Result, ex.Message);
        }
        catch (FormatException ex)
        {
            return Outcome(DkimResult.PermError, ex.Message);
        }
        catch (OperationCanceledException) when (!callerToken.IsCancellationRequested)
        {
            return Outcome(DkimResult.TempError, "verification timed out");
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // A signature built to break the verifier (odd base64, key/algorithm mismatch) is an
            // error in that signature, never a reason to fail the message's processing.
            return Outcome(DkimResult.PermError, "signature could not be processed");
        }

        if (verified)
        {
            return Outcome(DkimResult.Pass, null);
        }

        // MimeKit checks the body hash before it asks for the key, and answers only true/false.
        return locator.LastKey switch
        {
            null => Outcome(DkimResult.Fail, "body hash did not verify"),
            RsaKeyParameters rsa when rsa.Modulus.BitLength < verifier.MinimumRsaKeyLength =>
                Outcome(DkimResult.PermError, $"key shorter than {verifier.MinimumRsaKeyLength} bits"),
            _ => Outcome(DkimResult.Fail, "signature did not verify"),
        };
    }

    /// <summary>What MimeKit does not check, or only answers "false" to: version, algorithm, expiry.</summary>
    private (DkimResult Result, string Reason)? CheckTags(IReadOnlyList<KeyValuePair<string, string>> tags)
    {
        if (tags.Get("v") != "1")
        {
            return (DkimResult.PermError, "unsupported signature version");
        }

        if (string.IsNullOrEmpty(tags.Get("d")) || string.IsNullOrEmpty(tags.Get("s")))
        {
            return (DkimResult.PermError, "signature lacks d= or s=");
        }

        switch (tags.Get("a")?.ToLowerInvariant())
        {
            case "rsa-sha256":
            case "ed25519-sha256":
                break;
            case "rsa-sha1":
                // RFC 8301 §3.1: verifiers must not consider rsa-sha1 signatures valid.
                return (DkimResult.PermError, "rsa-sha1 is not accepted");
            default:
                return (DkimResult.PermError, "unsupported signature algorithm");
        }

        var expires = tags.Get("x");
        if (expires is not null)
        {
            if (!long.TryParse(expires, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
            {
                return (DkimResult.PermError, "malformed expiry (x=)");
            }

            // RFC 6376 §6.1.1: an expired signature fails.
            if (seconds < TimeProvider.GetUtcNow().ToUnixTimeSeconds())
            {
                return (DkimResult.Fail, "signature expired");
            }
        }

        return null;
    }
}
