using System.Security.Cryptography;

namespace Moat.Trust.Challenges;

/// <summary>
/// The installation's key for signing challenge tokens, kept in a file of its own beside the data
/// (never in the database the lists live in) and created with owner-only permissions on first use.
/// </summary>
public static class ChallengeSecret
{
    public const string DefaultFileName = "challenge.key";
    private const int Length = 32;

    public static byte[] LoadOrCreate(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (File.Exists(path))
        {
            var existing = File.ReadAllBytes(path);
            if (existing.Length < Length)
            {
                throw new InvalidDataException($"The challenge key {path} is shorter than {Length} bytes; delete it to make a new one (pending challenges then stop working).");
            }

            return existing;
        }

        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var secret = RandomNumberGenerator.GetBytes(Length);
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        try
        {
            using var file = new FileStream(path, options);
            file.Write(secret);
            file.Flush(flushToDisk: true);
            return secret;
        }
        catch (IOException) when (File.Exists(path))
        {
            // Another process created it first: use theirs.
            return File.ReadAllBytes(path);
        }
    }
}
