namespace Moat.Audit.Findings;

/// <summary>Tells the prober's made-up VRFY/EXPN name from the real ones it asked about.</summary>
internal static class UserProbes
{
    /// <summary>True when the command's argument is none of <paramref name="probeUsers"/>: the prober made it up to see whether the server says yes to anything.</summary>
    public static bool IsMadeUp(string command, IReadOnlyList<string> probeUsers)
    {
        var space = command.IndexOf(' ');
        if (space < 0)
        {
            return false;
        }

        var name = command[(space + 1)..].Trim().Trim('<', '>');
        var at = name.IndexOf('@');
        if (at >= 0)
        {
            name = name[..at];
        }

        return name.Length > 0 && !probeUsers.Contains(name, StringComparer.OrdinalIgnoreCase);
    }
}
