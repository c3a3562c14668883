namespace Moat.Testing;

/// <summary>A fresh folder below the system temp folder, deleted with everything in it on Dispose.</summary>
public sealed class TempFolder : IDisposable
{
    public TempFolder(string prefix = "moat-test")
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), prefix + "-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    /// <summary>Path of a child (file or folder) of this folder.</summary>
    public string Combine(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);

    /// <summary>Lets every user write here (servers that drop privileges to nobody, like smtp-sink).</summary>
    public void AllowEveryone(string? path = null)
    {
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path ?? Path, (UnixFileMode)0x1FF);
        }
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // A server still finishing a write; the temp folder is cleaned by the OS eventually.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
