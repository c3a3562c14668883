using System.Net.Sockets;
using System.Reflection;
using DnsClient;

namespace Moat.Trust.Tests.Authentication.Support;

/// <summary>
/// Passes every question to a real lookup client, except that questions for chosen names fail
/// as a network error would: for DNS failures in the middle of an otherwise answered evaluation.
/// </summary>
public class FailingLookup : DispatchProxy
{
    private ILookupClient inner = null!;
    private Func<string, bool> fails = null!;

    public static ILookupClient Wrap(ILookupClient inner, Func<string, bool> fails)
    {
        var proxy = Create<ILookupClient, FailingLookup>();
        var failing = (FailingLookup)(object)proxy;
        failing.inner = inner;
        failing.fails = fails;
        return proxy;
    }

    protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
    {
        ArgumentNullException.ThrowIfNull(targetMethod);
        if (targetMethod.Name == nameof(ILookupClient.QueryAsync) && args is [string name, ..] && fails(name))
        {
            return Task.FromException<IDnsQueryResponse>(new SocketException((int)SocketError.TimedOut));
        }

        try
        {
            return targetMethod.Invoke(inner, args);
        }
        catch (TargetInvocationException ex) when (ex.InnerException is not null)
        {
            throw ex.InnerException;
        }
    }
}
