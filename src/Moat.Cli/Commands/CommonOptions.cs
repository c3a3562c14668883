using System.CommandLine;
using Moat.Cli.Configuration;
using Moat.Storage;
using Moat.Storage.Sqlite;

namespace Moat.Cli.Commands;

/// <summary>The options every command that reads or writes state accepts, and how they load the configuration.</summary>
internal static class CommonOptions
{
    public static Option<string?> Config() => new("--config", "-c")
    {
        Description = "Configuration file (JSON). Without it Moat runs the embedded default.",
    };

    public static Option<string?> Data() => new("--data", "-d")
    {
        Description = "Data folder (queue, Maildir, keys); overrides dataDirectory.",
    };

    /// <summary>Loads the configuration, or prints what is wrong and how to fix it and returns null.</summary>
    public static MoatOptions? Load(ParseResult result, Option<string?> config, Option<string?> data)
    {
        try
        {
            return ConfigurationLoader.Load(result.GetValue(config), result.GetValue(data));
        }
        catch (ConfigurationException ex)
        {
            PrintErrors(ex.Errors);
            return null;
        }
    }

    /// <summary>Opens &lt;dataDirectory&gt;/moat.db for <paramref name="work"/>; a database that cannot be used is reported, not thrown.</summary>
    public static Task<int> WithStorageAsync(ParseResult result, Option<string?> config, Option<string?> data, Func<SqliteStorage, Task<int>> work) =>
        WithStorageAsync(result, config, data, (storage, _) => work(storage));

    /// <inheritdoc cref="WithStorageAsync(ParseResult, Option{string?}, Option{string?}, Func{SqliteStorage, Task{int}})"/>
    public static async Task<int> WithStorageAsync(ParseResult result, Option<string?> config, Option<string?> data, Func<SqliteStorage, MoatOptions, Task<int>> work)
    {
        var options = Load(result, config, data);
        if (options is null)
        {
            return ExitCodes.ConfigurationError;
        }

        try
        {
            using var storage = SqliteStorage.Open(Path.Combine(options.DataDirectory, SqliteStorage.DefaultFileName));
            return await work(storage, options);
        }
        catch (StorageException ex)
        {
            Console.Error.WriteLine(ex.Message);
            return ExitCodes.Failure;
        }
    }

    public static void PrintErrors(IReadOnlyList<ConfigurationError> errors)
    {
        Console.Error.WriteLine($"The configuration has {errors.Count} problem{(errors.Count == 1 ? string.Empty : "s")}:");
        foreach (var error in errors)
        {
            Console.Error.WriteLine($"  {error.Key}: {error.Problem}");
            Console.Error.WriteLine($"    fix: {error.Fix}");
        }
    }
}
