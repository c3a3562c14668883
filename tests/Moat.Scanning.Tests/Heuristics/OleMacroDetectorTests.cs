using Moat.Scanning.Heuristics;
using Moat.Scanning.Tests.Support;

namespace Moat.Scanning.Tests.Heuristics;

public sealed class OleMacroDetectorTests
{
    [Fact]
    public void ReadsTheDirectoryNames()
    {
        var names = OleMacroDetector.TryReadDirectoryNames(Executables.OleFile(("Root Entry", 5), ("VBA", 1), ("_VBA_PROJECT", 2)));

        Assert.Equal(["Root Entry", "VBA", "_VBA_PROJECT"], names);
    }

    [Fact]
    public void AFileTooShortForADirectoryFallsBackToTheNameSearch()
    {
        var truncated = Executables.OleFile(("Root Entry", 5), ("_VBA_PROJECT", 2))[..1300];

        Assert.Null(OleMacroDetector.TryReadDirectoryNames(truncated));
        Assert.True(OleMacroDetector.HasMacros(truncated));
    }
}
