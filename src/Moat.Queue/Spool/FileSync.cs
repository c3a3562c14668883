using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Moat.Queue.Spool;

/// <summary>
/// File-system calls .NET lacks: fsync of a directory, so that a rename (the publish step) is itself
/// durable (FileStream refuses directories); and a rename that never replaces its target.
/// </summary>
internal static partial class FileSync
{
    private const int AtCurrentDirectory = -100;
    private const uint RenameNoReplaceFlag = 1;
    private const int ENOENT = 2;
    private const int EEXIST = 17;
    private const int EINVAL = 22;
    private const int ENOSYS = 38;

    private static volatile bool noReplaceUnsupported = OperatingSystem.IsWindows();

    /// <summary>
    /// Renames <paramref name="source"/> to <paramref name="target"/> unless the target exists, in one
    /// atomic step (Linux renameat2 with RENAME_NOREPLACE). File.Move(overwrite: false) checks the
    /// target and then renames: three more system calls per state change, and not atomic.
    /// </summary>
    public static RenameResult RenameNoReplace(string source, string target)
    {
        if (!noReplaceUnsupported)
        {
            if (RenameAt2(AtCurrentDirectory, source, AtCurrentDirectory, target, RenameNoReplaceFlag) == 0)
            {
                return RenameResult.Renamed;
            }

            var errno = Marshal.GetLastPInvokeError();
            switch (errno)
            {
                case ENOENT:
                    return RenameResult.SourceMissing;
                case EEXIST:
                    return RenameResult.TargetExists;
                case EINVAL or ENOSYS:
                    // A file system (or kernel) without RENAME_NOREPLACE: use .NET's way from now on.
                    noReplaceUnsupported = true;
                    break;
                default:
                    throw new IOException($"cannot rename {source} to {target} (errno {errno})");
            }
        }

        try
        {
            File.Move(source, target, overwrite: false);
            return RenameResult.Renamed;
        }
        catch (FileNotFoundException)
        {
            return RenameResult.SourceMissing;
        }
        catch (IOException) when (File.Exists(target))
        {
            return RenameResult.TargetExists;
        }
    }

    public static void SyncDirectory(string path)
    {
        using var handle = OpenDirectory(path);
        SyncDirectory(handle, path);
    }

    /// <summary>
    /// Opens a directory for <see cref="SyncDirectory(SafeFileHandle?, string)"/>; null on Windows.
    /// Kept open by the spool so that a commit costs one fsync, not open + fsync + close.
    /// </summary>
    public static SafeFileHandle? OpenDirectory(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            // NTFS journals renames; there is no directory handle to flush.
            return null;
        }

        var fd = Open(path, 0 /* O_RDONLY */);
        if (fd < 0)
        {
            throw new IOException($"cannot open directory {path} to sync it (errno {Marshal.GetLastPInvokeError()})");
        }

        return new SafeFileHandle(fd, ownsHandle: true);
    }

    public static void SyncDirectory(SafeFileHandle? handle, string path)
    {
        if (handle is null)
        {
            return;
        }

        if (Fsync(handle) != 0)
        {
            throw new IOException($"fsync of directory {path} failed (errno {Marshal.GetLastPInvokeError()})");
        }
    }

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "renameat2", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int RenameAt2(int sourceDirectory, string source, int targetDirectory, string target, uint flags);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static partial int Fsync(SafeFileHandle fd);
}
