using System.Diagnostics;

namespace Moat.Testing;

/// <summary>
/// Checks that the real servers the tests start are installed, and fails with a message naming
/// the Debian package to install instead of an obscure process-start error.
/// </summary>
public static class TestPrerequisites
{
    /// <summary>Debian's python, which sees Debian's python3-* modules (the first python3 on PATH may not).</summary>
    public const string DebianPython = "/usr/bin/python3";

    public static void RequireExecutable(string path, string debianPackage)
    {
        if (!File.Exists(path))
        {
            throw new InvalidOperationException(
                $"{path} is missing: install the Debian package '{debianPackage}' (apt-get install -y {debianPackage}).");
        }
    }

    public static void RequirePythonModule(string module, string debianPackage)
    {
        RequireExecutable(DebianPython, "python3");
        using var process = Process.Start(new ProcessStartInfo(DebianPython, ["-c", "import " + module])
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        }) ?? throw new InvalidOperationException("cannot start " + DebianPython);
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"python module '{module}' is missing for {DebianPython}: install the Debian package '{debianPackage}' (apt-get install -y {debianPackage}).");
        }
    }
}
