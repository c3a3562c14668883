namespace Moat.Audit.Probing;

/// <summary>
/// What went over the wire, for evidence: "C: " what the audit sent, "S: " what the server
/// answered (exact lines), "-- " notes (connections, TLS). Bounded so that a chatty server cannot
/// grow it without end.
/// </summary>
internal sealed class ProbeTranscript
{
    public const int MaxLines = 2000;

    private readonly List<string> _lines = [];
    private bool _truncated;

    public IReadOnlyList<string> Lines => _lines;

    public void Client(string line) => Add("C: " + line);

    public void Server(string line) => Add("S: " + line);

    public void Note(string text) => Add("-- " + text);

    private void Add(string line)
    {
        if (_lines.Count < MaxLines - 1)
        {
            _lines.Add(line);
        }
        else if (!_truncated)
        {
            _truncated = true;
            _lines.Add("-- transcript truncated");
        }
    }
}
