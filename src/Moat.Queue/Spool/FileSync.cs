using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Moat.Queue.Spool;

/// <summary>
/// fsync of a directory, so that a rename (the publish step) is itself durable. .NET has no API for
/// it: FileStream refuses directories.
/// </summary>
internal static partial class FileSync
{
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

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static partial int Fsync(SafeFileHandle fd);
}
