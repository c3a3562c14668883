using Moat.Trust.Decisions;

namespace Moat.Trust.Tests.Decisions;

public sealed class UnknownSenderPolicyResolverTests
{
    private static readonly TrustOptions Options = new()
    {
        UnknownSenders = UnknownSenderPolicy.Quarantine,
        UserPolicies = new(StringComparer.OrdinalIgnoreCase)
        {
            ["alice@example.test"] = UnknownSenderPolicy.Challenge,
            ["bob@example.test"] = UnknownSenderPolicy.Challenge,
            ["carol@example.test"] = UnknownSenderPolicy.Accept,
        },
    };

    [Theory]
    [InlineData("Alice@Example.test", UnknownSenderPolicy.Challenge)]
    [InlineData("alice@example.test,bob@example.test", UnknownSenderPolicy.Challenge)]
    [InlineData("alice@example.test,carol@example.test", UnknownSenderPolicy.Quarantine)]
    [InlineData("alice@example.test,dave@example.test", UnknownSenderPolicy.Quarantine)]
    [InlineData("dave@example.test", UnknownSenderPolicy.Quarantine)]
    public void AUsersChoiceAppliesWhenEveryRecipientMadeIt(string recipients, UnknownSenderPolicy expected)
    {
        Assert.Equal(expected, UnknownSenderPolicyResolver.Resolve(Options, recipients.Split(',')));
    }
}
