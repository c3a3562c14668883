using System.Net;
using Moat.Smtp.Protocol;

namespace Moat.Pipeline.Tests.Support;

internal static class Contexts
{
    /// <summary>An address from the documentation range: never in a trusted network unless a test says so.</summary>
    public const string InternetClient = "198.51.100.7";

    public static TransactionContext Create(string clientAddress = InternetClient, ListenerRole role = ListenerRole.Inbound) =>
        new(IPAddress.Parse(clientAddress), role == ListenerRole.Inbound ? "inbound" : "submission", role);

    public static TransactionContext WithSender(SmtpPath sender, string clientAddress = InternetClient, ListenerRole role = ListenerRole.Inbound, long? declaredSize = null)
    {
        var context = Create(clientAddress, role);
        context.MailFrom = new MailFromRequest(sender, declaredSize, null, false, null, null);
        return context;
    }

    public static TransactionContext WithRecipient(SmtpPath recipient, string clientAddress = InternetClient, ListenerRole role = ListenerRole.Inbound)
    {
        var context = WithSender(Paths.Parse("sender@elsewhere.test"), clientAddress, role);
        context.CurrentRecipient = new RcptToRequest(recipient, null, null);
        return context;
    }
}
