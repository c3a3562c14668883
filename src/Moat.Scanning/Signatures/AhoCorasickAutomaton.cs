using System.Buffers;

namespace Moat.Scanning.Signatures;

/// <summary>
/// Multi-pattern search over byte keys (the anchors of body patterns): one pass over the input
/// finds every occurrence of every key, whatever the number of keys. Built from the keys sorted,
/// so each node's children get consecutive ids and the trie is stored as flat arrays (no
/// per-node objects): child k of node u is node <c>_childStart[u] + k</c>, labelled
/// <c>_label[_childStart[u] + k]</c> (ascending). The root has a dense 256-entry table, and while
/// in the root the scan jumps with <see cref="SearchValues{T}"/> to the next byte that starts a key.
/// The shallowest <see cref="DenseStates"/> states (where a scan spends most of its time) also get
/// a full 256-entry transition row with failures resolved, so most steps are one array read.
/// </summary>
internal sealed class AhoCorasickAutomaton
{
    /// <summary>States with a precomputed full transition row (512 × 256 × 4 bytes = 512 KiB at most, so the rows stay in cache).</summary>
    private const int DenseStates = 512;

    private readonly int[] _dense;
    private readonly int _denseCount;
    private readonly int[] _childStart;
    private readonly int[] _childCount;
    private readonly byte[] _label;
    private readonly int[] _fail;
    private readonly int[] _outputStart;
    private readonly int[] _outputs;
    private readonly int[] _outputLink;
    private readonly SearchValues<byte> _firstBytes;

    private AhoCorasickAutomaton(int[] childStart, int[] childCount, byte[] label, int[] fail, int[] outputStart, int[] outputs, int[] outputLink, SearchValues<byte> firstBytes)
    {
        _childStart = childStart;
        _childCount = childCount;
        _label = label;
        _fail = fail;
        _outputStart = outputStart;
        _outputs = outputs;
        _outputLink = outputLink;
        _firstBytes = firstBytes;
        // Breadth-first ids: a state's failure target has a smaller id, so its row is ready.
        _denseCount = Math.Min(fail.Length, DenseStates);
        _dense = new int[_denseCount * 256];
        for (var state = 0; state < _denseCount; state++)
        {
            var row = _dense.AsSpan(state * 256, 256);
            if (state != 0)
            {
                _dense.AsSpan(fail[state] * 256, 256).CopyTo(row);
            }

            for (var k = 0; k < childCount[state]; k++)
            {
                row[label[childStart[state] + k]] = childStart[state] + k;
            }
        }
    }

    public int StateCount => _fail.Length;

    public static AhoCorasickAutomaton Build(IReadOnlyList<(byte[] Key, int Value)> keys)
    {
        var sorted = keys.Where(k => k.Key.Length > 0).ToArray();
        Array.Sort(sorted, (a, b) => a.Key.AsSpan().SequenceCompareTo(b.Key));

        // Breadth-first construction over ranges of the sorted keys: node = (depth, [lo, hi)).
        var depth = new List<int> { 0 };
        var lo = new List<int> { 0 };
        var hi = new List<int> { sorted.Length };
        var parent = new List<int> { -1 };
        var label = new List<byte> { 0 };
        var childStart = new List<int>();
        var childCount = new List<int>();
        var outputStart = new List<int>();
        var outputs = new List<int>();
        for (var u = 0; u < depth.Count; u++)
        {
            var d = depth[u];
            var i = lo[u];
            outputStart.Add(outputs.Count);
            while (i < hi[u] && sorted[i].Key.Length == d)
            {
                outputs.Add(sorted[i].Value);
                i++;
            }

            childStart.Add(depth.Count);
            var count = 0;
            while (i < hi[u])
            {
                var b = sorted[i].Key[d];
                var j = i;
                while (j < hi[u] && sorted[j].Key[d] == b)
                {
                    j++;
                }

                depth.Add(d + 1);
                lo.Add(i);
                hi.Add(j);
                parent.Add(u);
                label.Add(b);
                count++;
                i = j;
            }

            childCount.Add(count);
        }

        outputStart.Add(outputs.Count);
        var stateCount = depth.Count;
        var labels = label.ToArray();
        var starts = childStart.ToArray();
        var counts = childCount.ToArray();
        var fail = new int[stateCount];
        var outputLink = new int[stateCount];
        outputLink[0] = -1;
        var outStart = outputStart.ToArray();
        for (var v = 1; v < stateCount; v++)
        {
            // Ids are in breadth-first order, so the parent's failure link is already known.
            var u = parent[v];
            var b = labels[v];
            var f = u == 0 ? -1 : fail[u];
            var target = 0;
            while (f >= 0)
            {
                var child = FindChild(starts, counts, labels, f, b);
                if (child >= 0)
                {
                    target = child;
                    break;
                }

                f = f == 0 ? -1 : fail[f];
            }

            fail[v] = target;
            outputLink[v] = outStart[target + 1] > outStart[target] ? target : outputLink[target];
        }

        var firstBytes = SearchValues.Create([.. Enumerable.Range(0, counts[0]).Select(k => labels[starts[0] + k])]);
        return new AhoCorasickAutomaton(starts, counts, labels, fail, outStart, [.. outputs], outputLink, firstBytes);
    }

    /// <summary>
    /// Runs the automaton over <paramref name="data"/> from <paramref name="state"/> (0 at the
    /// start of an object) and returns the state to continue with in the next chunk, so keys that
    /// cross chunk borders are found.
    /// </summary>
    public int Scan(int state, ReadOnlySpan<byte> data, List<AutomatonHit> hits)
    {
        var i = 0;
        while (i < data.Length)
        {
            if (state == 0)
            {
                var skip = data[i..].IndexOfAny(_firstBytes);
                if (skip < 0)
                {
                    return 0;
                }

                i += skip;
                state = _dense[data[i]];
            }
            else
            {
                state = Step(state, data[i]);
            }

            if (_outputLink[state] >= 0 || _outputStart[state + 1] > _outputStart[state])
            {
                Report(state, i, hits);
            }

            i++;
        }

        return state;
    }

    private int Step(int state, byte b)
    {
        while (state >= _denseCount)
        {
            var child = FindChild(_childStart, _childCount, _label, state, b);
            if (child >= 0)
            {
                return child;
            }

            state = _fail[state];
        }

        return _dense[(state * 256) + b];
    }

    private void Report(int state, int end, List<AutomatonHit> hits)
    {
        for (var s = state; s >= 0; s = _outputLink[s])
        {
            for (var k = _outputStart[s]; k < _outputStart[s + 1]; k++)
            {
                hits.Add(new AutomatonHit(_outputs[k], end));
            }
        }
    }

    private static int FindChild(int[] starts, int[] counts, byte[] labels, int node, byte b)
    {
        var k = labels.AsSpan(starts[node], counts[node]).IndexOf(b);
        return k < 0 ? -1 : starts[node] + k;
    }
}
