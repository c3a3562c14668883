namespace Moat.Smtp.Server;

/// <summary>Creates the handler for each accepted connection.</summary>
public interface ISmtpSessionHandlerFactory
{
    ISmtpSessionHandler Create(ISmtpSession session);
}
