namespace Moat.Scanning;

public enum EngineVerdictKind
{
    Clean,
    Infected,
    Error,
}
