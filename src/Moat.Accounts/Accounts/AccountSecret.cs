using System.Security.Cryptography;

namespace Moat.Accounts.Accounts;

/// <summary>
/// The installation's key for the keyed hashes of passwords (the popularity sketch, the spraying
/// detector), kept in <c>popularity.key</c> beside the database and never in it, and created
/// with owner-only permissions on first use. A copy of the database alone therefore tells
/// nothing about passwords beyond the Argon2id hashes.
/// </summary>
public static class AccountSecret
{
    public const string DefaultFileName = "popularity.key";
    private const int Length = 32;

    public static byte[] LoadOrCreate(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (File.Exists(path))
        {
            var existing = File.ReadAllBytes(path);
            if (existing.Length < Length)
            {
                throw new InvalidDataException(
                    $"The password key {path} is shorter than {Length} bytes. Restore it from a backup; deleting it makes a new one, after which the popularity counts start over (only the built-in common passwords are then refused at first).");
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
            // Another process (the gateway, a second CLI) created it first: use theirs.
            return File.ReadAllBytes(path);
        }
    }
}
