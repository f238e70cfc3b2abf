using Dialogue.Caching.Engine;

namespace Dialogue.Caching.Tests.Engine;

/// <summary>The stamp-keyed heap against a sorted reference under random adds, removals and re-keys.</summary>
public sealed class StampHeapTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void RandomOperations_TopIsAlwaysTheSmallestKey(int seed)
    {
        var random = new Random(seed);
        var heap = new StampHeap();
        var reference = new Dictionary<CacheNode, long>();
        for (var step = 0; step < 20_000; step++)
        {
            var choice = random.Next(10);
            if (choice < 5 || reference.Count == 0)
            {
                var node = new CacheNode($"k{step}", "v", 0);
                var key = random.Next(1_000);
                heap.Add(node, key);
                reference[node] = key;
            }
            else if (choice < 8)
            {
                var node = reference.Keys.ElementAt(random.Next(reference.Count));
                heap.Remove(node);
                reference.Remove(node);
                Assert.Equal(-1, node.RecencyIndex);
            }
            else
            {
                var top = heap.Top!;
                var key = reference[top] + random.Next(1_000);
                heap.RekeyTop(key);
                reference[top] = key;
            }

            Assert.Equal(reference.Count, heap.Count);
            if (reference.Count > 0)
            {
                Assert.Equal(reference.Values.Min(), heap.TopKey);
                Assert.Equal(heap.TopKey, reference[heap.Top!]);
            }
        }
    }

    [Fact]
    public void Clear_VisitsEveryNodeAndEmpties()
    {
        var heap = new StampHeap();
        var nodes = Enumerable.Range(0, 50).Select(i => new CacheNode($"k{i}", "v", 0)).ToList();
        for (var i = 0; i < nodes.Count; i++)
        {
            heap.Add(nodes[i], 50 - i);
        }

        var seen = new List<CacheNode>();
        heap.Clear(seen.Add);

        Assert.Equal(nodes.ToHashSet(), seen.ToHashSet());
        Assert.Equal(0, heap.Count);
        Assert.Null(heap.Top);
        Assert.All(nodes, node => Assert.Equal(-1, node.RecencyIndex));
    }
}
