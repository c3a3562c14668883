namespace Moat.Cli.Commands;

/// <summary>
/// Turns the paths on the command line into the list of files to scan: folders recursively,
/// without following symbolic links (no loops, nothing scanned twice), mail files marked as mail.
/// </summary>
internal sealed class ScanInputFinder
{
    /// <summary>What <c>--system</c> leaves out: kernel and runtime views, not files at rest (and reading some of them blocks or never ends).</summary>
    public static readonly IReadOnlyList<string> SystemSkips = ["/proc", "/sys", "/dev", "/run"];

    private static readonly EnumerationOptions OneLevel = new()
    {
        RecurseSubdirectories = false,
        IgnoreInaccessible = false,
        AttributesToSkip = 0,
        ReturnSpecialDirectories = false,
    };

    private readonly List<ScanInput> inputs = [];
    private readonly List<ScanFileResult> problems = [];
    private readonly HashSet<string> skips = new(StringComparer.Ordinal);
    private readonly HashSet<string> seen = new(StringComparer.Ordinal);

    public IReadOnlyList<ScanInput> Inputs => inputs;

    /// <summary>Paths that could not be read at all, as error results.</summary>
    public IReadOnlyList<ScanFileResult> Problems => problems;

    public long TotalBytes => inputs.Sum(input => input.Length);

    /// <summary>Adds the whole filesystem from /, without <see cref="SystemSkips"/>.</summary>
    public void AddSystem()
    {
        skips.UnionWith(SystemSkips);
        AddFolder(new DirectoryInfo("/"), isMaildirFolder: false);
    }

    /// <summary>Adds a file, or a folder and everything below it. A link given by name is followed; links found inside folders are not.</summary>
    public void Add(string path)
    {
        var full = Path.GetFullPath(path);
        if (Directory.Exists(full))
        {
            AddFolder(new DirectoryInfo(full), IsMaildirFolder(new DirectoryInfo(full)));
        }
        else if (File.Exists(full))
        {
            AddFile(new FileInfo(full), IsMaildirFolder(new FileInfo(full).Directory));
        }
        else
        {
            problems.Add(ScanFileResult.Error(full, "no such file or folder"));
        }
    }

    private void AddFolder(DirectoryInfo root, bool isMaildirFolder)
    {
        // A stack rather than recursion: --system goes deep.
        var pending = new Stack<(DirectoryInfo Folder, bool IsMaildirFolder)>();
        pending.Push((root, isMaildirFolder));
        while (pending.Count > 0)
        {
            var (folder, maildir) = pending.Pop();
            FileSystemInfo[] entries;
            try
            {
                entries = folder.GetFileSystemInfos("*", OneLevel);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                problems.Add(ScanFileResult.Error(folder.FullName, "cannot list the folder: " + ex.Message));
                continue;
            }

            Array.Sort(entries, (a, b) => string.CompareOrdinal(a.Name, b.Name));
            var folders = new List<DirectoryInfo>();
            foreach (var entry in entries)
            {
                if (entry.LinkTarget is not null || skips.Contains(entry.FullName))
                {
                    continue;
                }

                if (entry is DirectoryInfo child)
                {
                    folders.Add(child);
                }
                else if (entry is FileInfo file)
                {
                    AddFile(file, maildir);
                }
            }

            // Pushed in reverse so they are walked in name order.
            for (var index = folders.Count - 1; index >= 0; index--)
            {
                pending.Push((folders[index], IsMaildirFolder(folders[index])));
            }
        }
    }

    private void AddFile(FileInfo file, bool inMaildirFolder)
    {
        if (!seen.Add(file.FullName))
        {
            // Named twice on the command line, or inside a folder also named.
            return;
        }

        try
        {
            var isMessage = inMaildirFolder || file.Extension.Equals(".eml", StringComparison.OrdinalIgnoreCase);
            inputs.Add(new ScanInput(file.FullName, file.Length, isMessage));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            problems.Add(ScanFileResult.Error(file.FullName, "cannot read: " + ex.Message));
        }
    }

    /// <summary>A Maildir's cur/ or new/: a folder of that name whose parent also has the other one.</summary>
    private static bool IsMaildirFolder(DirectoryInfo? folder)
    {
        if (folder?.Parent is not { } parent || folder.Name is not ("cur" or "new"))
        {
            return false;
        }

        return Directory.Exists(Path.Combine(parent.FullName, "cur")) && Directory.Exists(Path.Combine(parent.FullName, "new"));
    }
}
