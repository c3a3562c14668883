namespace Moat.Scanning.Signatures;

/// <summary>
/// A signature database could not be loaded: names the file, the line (1-based; 0 when the
/// problem is the file as a whole) and what is wrong. The caller keeps its previous set live.
/// </summary>
public sealed class SignatureLoadException : Exception
{
    public SignatureLoadException(string fileName, int lineNumber, string problem, Exception? innerException = null)
        : base(lineNumber > 0 ? $"{fileName}:{lineNumber}: {problem}" : $"{fileName}: {problem}", innerException)
    {
        FileName = fileName;
        LineNumber = lineNumber;
        Problem = problem;
    }

    public string FileName { get; }

    public int LineNumber { get; }

    public string Problem { get; }
}
