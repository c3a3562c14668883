using System.Text;
using Moat.Scanning.Signatures;

namespace Moat.Scanning.Tests.Signatures;

public class AhoCorasickAutomatonTests
{
    [Fact]
    public void Finds_overlapping_and_nested_keys()
    {
        string[] keys = ["he", "she", "his", "hers"];
        var automaton = AhoCorasickAutomaton.Build(keys.Select((k, i) => (Encoding.ASCII.GetBytes(k), i)).ToArray());
        var hits = new List<AutomatonHit>();
        automaton.Scan(0, "ushers"u8, hits);
        Assert.Equal([(1, 3), (0, 3), (3, 5)], hits.Select(h => (h.Value, h.End)).OrderBy(h => h.End).ThenByDescending(h => h.Value).ToArray());
    }

    [Fact]
    public void State_carries_keys_across_chunks()
    {
        var automaton = AhoCorasickAutomaton.Build([("abcdef"u8.ToArray(), 7)]);
        var hits = new List<AutomatonHit>();
        var state = automaton.Scan(0, "xxabc"u8, hits);
        state = automaton.Scan(state, "de"u8, hits);
        Assert.Empty(hits);
        automaton.Scan(state, "fyy"u8, hits);
        Assert.Equal(new AutomatonHit(7, 0), Assert.Single(hits));
    }

    [Fact]
    public void Agrees_with_naive_search_on_random_keys()
    {
        var random = new Random(5);
        for (var round = 0; round < 50; round++)
        {
            var keys = Enumerable.Range(0, 40).Select(_ => Enumerable.Range(0, random.Next(1, 6)).Select(_ => (byte)random.Next(3)).ToArray()).ToArray();
            var text = Enumerable.Range(0, 500).Select(_ => (byte)random.Next(3)).ToArray();
            var automaton = AhoCorasickAutomaton.Build(keys.Select((k, i) => (k, i)).ToArray());
            var hits = new List<AutomatonHit>();
            automaton.Scan(0, text, hits);
            var expected = new List<(int, int)>();
            for (var i = 0; i < keys.Length; i++)
            {
                for (var end = keys[i].Length - 1; end < text.Length; end++)
                {
                    if (text.AsSpan(end - keys[i].Length + 1, keys[i].Length).SequenceEqual(keys[i]))
                    {
                        expected.Add((i, end));
                    }
                }
            }

            Assert.Equal(expected.Order().ToArray(), hits.Select(h => (h.Value, h.End)).Order().ToArray());
        }
    }
}
