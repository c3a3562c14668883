using Microsoft.Extensions.Configuration;

namespace Moat.Cli.Configuration;

/// <summary>
/// Reads the configuration file (JSON) and MOAT_* environment overrides, fills in the embedded
/// defaults and validates the result. Every command that reads state goes through here, so
/// <c>moat config check</c> and <c>moat serve</c> can never disagree.
/// </summary>
public static class ConfigurationLoader
{
    /// <summary>Prefix of environment overrides: MOAT_SMTP__MAXRECIPIENTS=50 sets smtp.maxRecipients.</summary>
    public const string EnvironmentPrefix = "MOAT_";

    /// <exception cref="ConfigurationException">The file is missing or unreadable, a value has the wrong type, or validation failed.</exception>
    public static MoatOptions Load(string? configFile, string? dataDirectory)
    {
        var builder = new ConfigurationBuilder();
        if (configFile is not null)
        {
            var path = Path.GetFullPath(configFile);
            if (!File.Exists(path))
            {
                throw new ConfigurationException([new("--config", $"the file '{path}' does not exist.", "give the path of an existing JSON file, or leave --config out to run the embedded default.")]);
            }

            builder.AddJsonFile(path, optional: false, reloadOnChange: false);
        }

        builder.AddEnvironmentVariables(EnvironmentPrefix);

        IConfigurationRoot configuration;
        try
        {
            configuration = builder.Build();
        }
        catch (Exception ex) when (ex is FormatException or InvalidDataException or IOException)
        {
            throw new ConfigurationException([new(configFile ?? "configuration", "the file is not valid JSON: " + (ex.InnerException?.Message ?? ex.Message), "correct the JSON syntax (moat config check shows this error again).")]);
        }

        var options = new MoatOptions();
        try
        {
            configuration.Bind(options);
        }
        catch (InvalidOperationException ex)
        {
            throw new ConfigurationException([new(KeyOf(ex), ex.InnerException?.Message ?? ex.Message, "write a value of the type the configuration reference (docs/configuration.md) gives for this key.")]);
        }

        if (dataDirectory is not null)
        {
            options.DataDirectory = dataDirectory;
        }

        EmbeddedDefaults.Apply(options, configuration);
        var errors = ConfigurationValidator.Validate(options);
        if (errors.Count > 0)
        {
            throw new ConfigurationException(errors);
        }

        return options;
    }

    // The binder's message reads "Failed to convert configuration value 'x' at 'Smtp:MaxRecipients' to type ...".
    private static string KeyOf(InvalidOperationException ex)
    {
        var message = ex.Message;
        var at = message.IndexOf(" at '", StringComparison.Ordinal);
        var end = at < 0 ? -1 : message.IndexOf('\'', at + 5);
        return end > at ? message[(at + 5)..end] : "configuration";
    }
}
