namespace Moat.Testing;

/// <summary>Finds the project's shared data folder (../shared/data next to the repository, as laid for developers and CI).</summary>
public static class SharedData
{
    public static string Find(string relative)
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            var candidate = Path.Combine(folder.FullName, "shared", "data", relative);
            if (Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new DirectoryNotFoundException($"shared/data/{relative} was not found above {AppContext.BaseDirectory}: the shared folder must sit next to the repository.");
    }
}
