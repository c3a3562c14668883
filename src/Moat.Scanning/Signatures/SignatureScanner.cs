using System.Security.Cryptography;

namespace Moat.Scanning.Signatures;

/// <summary>
/// One scan of one object: feeds every chunk to the digests the hash signatures need and to the
/// body scanner, and at the end looks the digests up and evaluates the logical signatures.
/// </summary>
internal sealed class SignatureScanner : IDisposable
{
    private readonly SignatureSet _set;
    private readonly BodyScanner _body;
    private readonly (HashSignatureSet Set, IncrementalHash Hash)[] _digests;
    private long _size;

    public SignatureScanner(SignatureSet set, long? knownLength)
    {
        _set = set;
        _body = new BodyScanner(set.Body);
        // Hash only with the digests some signature uses, and not at all when the length is
        // known and no signature has it: most objects then cost no hashing.
        _digests = [.. set.Hashes
            .Where(h => h.Count > 0 && (knownLength is not { } length || h.MayMatchSize(length)))
            .Select(h => (h, IncrementalHash.CreateHash(h.Kind switch
            {
                HashSignatureKind.Md5 => HashAlgorithmName.MD5,
                HashSignatureKind.Sha1 => HashAlgorithmName.SHA1,
                _ => HashAlgorithmName.SHA256,
            })))];
    }

    public void Feed(ReadOnlySpan<byte> chunk)
    {
        _size += chunk.Length;
        foreach (var (_, hash) in _digests)
        {
            hash.AppendData(chunk);
        }

        _body.Feed(chunk);
    }

    public IReadOnlyList<string> Complete()
    {
        _body.Complete();
        var threats = new List<string>();
        Span<byte> digest = stackalloc byte[32];
        foreach (var (set, hash) in _digests)
        {
            if (!set.MayMatchSize(_size))
            {
                continue;
            }

            var length = hash.GetHashAndReset(digest);
            if (set.Find(_size, digest[..length]) is { } name)
            {
                AddOnce(threats, name);
            }
        }

        // Only patterns that matched are looked at, so the cost does not grow with the database.
        var patterns = _set.Body.Patterns;
        var logical = new SortedSet<int>(_set.LogicalWithoutHits);
        foreach (var (p, _) in _body.Matches)
        {
            if (patterns[p].LogicalOwner < 0)
            {
                AddOnce(threats, patterns[p].Name);
            }
            else
            {
                logical.Add(patterns[p].LogicalOwner);
            }
        }

        foreach (var index in logical)
        {
            if (_set.Logical[index].Matches(_body, _size))
            {
                AddOnce(threats, _set.Logical[index].Name);
            }
        }

        // A match found is certain even if later hits went unverified; "nothing found" is not.
        if (threats.Count == 0 && _body.LimitExceeded)
        {
            throw new SignatureScanLimitException(
                $"signature verification limit exceeded after {_size} bytes (content that makes pattern verification too costly); the object cannot be called clean");
        }

        return threats;
    }

    public void Dispose()
    {
        _body.Dispose();
        foreach (var (_, hash) in _digests)
        {
            hash.Dispose();
        }
    }

    private static void AddOnce(List<string> threats, string name)
    {
        if (!threats.Contains(name))
        {
            threats.Add(name);
        }
    }
}
