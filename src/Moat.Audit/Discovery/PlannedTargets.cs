using System.Collections;

namespace Moat.Audit.Discovery;

/// <summary>
/// The (address, port) pairs of a plan, made on the fly rather than stored. Port-major order:
/// every address on port 25, then every address on 465, … so consecutive attempts go to
/// different hosts and no single host sees a burst.
/// </summary>
internal sealed class PlannedTargets(IReadOnlyList<PlannedAddress> addresses, IReadOnlyList<int> ports) : IReadOnlyCollection<ScanTarget>
{
    public int Count => addresses.Count * ports.Count;

    public IEnumerator<ScanTarget> GetEnumerator()
    {
        foreach (var port in ports)
        {
            foreach (var address in addresses)
            {
                yield return new ScanTarget(address.Address, port, address.HostName);
            }
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
