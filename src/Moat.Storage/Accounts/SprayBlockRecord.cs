namespace Moat.Storage.Accounts;

/// <summary>
/// A network the gateway's password-spraying detector currently refuses logins from. The gateway
/// publishes its blocks here so that <c>moat accounts blocks</c>, another process, can show them.
/// </summary>
/// <param name="Network">CIDR, e.g. <c>203.0.113.0/24</c>.</param>
public sealed record SprayBlockRecord(string Network, DateTimeOffset Until, string Reason, double Score);
