using System.Net;

namespace Moat.Smtp.Server;

/// <summary>Counts open connections in total and per client address.</summary>
internal sealed class ConnectionLimiter(int maxConnections, int maxConnectionsPerClient, IReadOnlyList<IPNetwork> exemptions)
{
    private readonly Lock _lock = new();
    private readonly Dictionary<IPAddress, int> _perClient = [];
    private int _total;

    /// <summary>Takes a slot, or returns the metric reason why none is free.</summary>
    public bool TryAcquire(IPAddress client, out string? refusal)
    {
        lock (_lock)
        {
            _perClient.TryGetValue(client, out var count);
            refusal = _total >= maxConnections ? "max_connections"
                : count >= maxConnectionsPerClient && !IsExempt(client) ? "max_connections_per_client"
                : null;
            if (refusal is not null)
            {
                return false;
            }

            _total++;
            _perClient[client] = count + 1;
            return true;
        }
    }

    public void Release(IPAddress client)
    {
        lock (_lock)
        {
            _total--;
            if (_perClient[client] == 1)
            {
                _perClient.Remove(client);
            }
            else
            {
                _perClient[client]--;
            }
        }
    }

    private bool IsExempt(IPAddress client)
    {
        foreach (var network in exemptions)
        {
            if (network.Contains(client))
            {
                return true;
            }
        }

        return false;
    }
}
