namespace Moat.Scanning.Tests.Support;

/// <summary>
/// Finds the shared mime-is-broken corpus: CI checks out shared/ next to the repository, so walk up
/// from the test binaries until a folder has "shared/data/mime-is-broken" (or is the repo and has it as a sibling).
/// </summary>
internal static class CorpusLocator
{
    private const string Relative = "shared/data/mime-is-broken";

    public static string MimeIsBroken()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            var candidate = Path.Combine(folder.FullName, Relative);
            if (Directory.Exists(Path.Combine(candidate, "hide-content.d")))
            {
                return candidate;
            }
        }

        throw new DirectoryNotFoundException($"No {Relative} above {AppContext.BaseDirectory}; check out shared/ next to the repository.");
    }
}
