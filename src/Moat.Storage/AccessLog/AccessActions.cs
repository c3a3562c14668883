namespace Moat.Storage.AccessLog;

/// <summary>The actions the access log records; stored as these words.</summary>
public static class AccessActions
{
    /// <summary>Message content shown to someone.</summary>
    public const string View = "view";

    /// <summary>Message content handed out as a file.</summary>
    public const string Download = "download";

    /// <summary>A held message let through.</summary>
    public const string Release = "release";

    /// <summary>A held message let through and its sender trusted from then on.</summary>
    public const string ReleaseAndTrust = "release-and-trust";

    /// <summary>A message deleted by a person (retention deletes are not logged one by one).</summary>
    public const string Delete = "delete";

    /// <summary>Data written out of Moat (a trust-list export, a user's data).</summary>
    public const string Export = "export";

    public const string ConfigurationChange = "configuration-change";

    public const string AccountChange = "account-change";

    public const string RoleChange = "role-change";

    public const string TrustChange = "trust-change";

    /// <summary>Old entries of the access log itself deleted; written only by <see cref="IAccessLog.PurgeBeforeAsync"/>.</summary>
    public const string Purge = "purge";

    private static readonly HashSet<string> Known =
    [
        View, Download, Release, ReleaseAndTrust, Delete, Export, ConfigurationChange, AccountChange, RoleChange, TrustChange, Purge,
    ];

    internal static bool IsKnown(string action) => Known.Contains(action);
}
