namespace Moat.Trust.Decisions;

/// <summary>
/// One message has one fate, so when recipients chose differently the organisation's policy
/// applies; a user's own choice applies when every recipient made the same one.
/// </summary>
public static class UnknownSenderPolicyResolver
{
    public static UnknownSenderPolicy Resolve(TrustOptions options, IReadOnlyCollection<string> recipients)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(recipients);
        UnknownSenderPolicy? common = null;
        foreach (var recipient in recipients)
        {
            if (!options.UserPolicies.TryGetValue(recipient, out var policy) || (common is not null && common != policy))
            {
                return options.UnknownSenders;
            }

            common = policy;
        }

        return common ?? options.UnknownSenders;
    }
}
