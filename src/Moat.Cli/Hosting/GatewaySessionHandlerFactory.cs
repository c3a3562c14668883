using Moat.Smtp.Server;

namespace Moat.Cli.Hosting;

internal sealed class GatewaySessionHandlerFactory(GatewayServices services) : ISmtpSessionHandlerFactory
{
    public ISmtpSessionHandler Create(ISmtpSession session) => new GatewaySessionHandler(session, services);
}
