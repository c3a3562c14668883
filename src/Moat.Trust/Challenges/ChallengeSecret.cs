using Moat.Storage;

namespace Moat.Trust.Challenges;

/// <summary>The installation's key for signing challenge tokens, in <c>challenge.key</c> beside the data.</summary>
public static class ChallengeSecret
{
    public const string DefaultFileName = "challenge.key";

    public static byte[] LoadOrCreate(string path) =>
        KeyFile.LoadOrCreate(path, 32, "Delete it to make a new one; challenges sent before then can no longer be answered.");
}
