using System.Security.Cryptography;

namespace Moat.Storage;

/// <summary>
/// A secret key of this installation in a file of its own beside the database (never in it),
/// created with owner-only permissions on first use. Several processes may ask at once; the
/// first to create the file wins and the others read it.
/// </summary>
public static class KeyFile
{
    /// <param name="whatToDo">Appended to the error when an existing file is too short: how to recover, and what is lost.</param>
    public static byte[] LoadOrCreate(string path, int length, string whatToDo)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentOutOfRangeException.ThrowIfLessThan(length, 16);
        if (File.Exists(path))
        {
            var existing = File.ReadAllBytes(path);
            if (existing.Length < length)
            {
                throw new InvalidDataException($"The key file {path} is shorter than {length} bytes. {whatToDo}");
            }

            return existing;
        }

        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var secret = RandomNumberGenerator.GetBytes(length);
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
            return File.ReadAllBytes(path);
        }
    }
}
