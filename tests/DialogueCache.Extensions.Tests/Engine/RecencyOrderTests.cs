using Dialogue.Caching.Engine;

namespace Dialogue.Caching.Tests.Engine;

/// <summary>
/// The lazily repaired LRU order against a reference that knows every node's last use: under random adds, reads
/// (stamp and touch, as a hit does), removals and evictions, the oldest node is always the one used longest ago.
/// </summary>
public sealed class RecencyOrderTests
{
    private long _stamp;

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public void RandomOperations_OldestIsTheLeastRecentlyUsed(int seed)
    {
        var random = new Random(seed);
        var order = new RecencyOrder();
        var present = new List<CacheNode>();
        for (var step = 0; step < 20_000; step++)
        {
            var choice = random.Next(20);
            if (choice < 6 || present.Count == 0)
            {
                var node = new CacheNode($"k{step}", "v", 0) { Stamp = ++_stamp };
                order.Add(node);
                present.Add(node);
            }
            else if (choice < 16)
            {
                // Skewed reads: the first nodes are read far more often, as hot keys are.
                var node = present[(int)(present.Count * Math.Pow(random.NextDouble(), 3))];
                Read(node);
            }
            else if (choice < 18)
            {
                var node = present[random.Next(present.Count)];
                order.Remove(node);
                present.Remove(node);
            }
            else
            {
                var oldest = order.Oldest()!;
                Assert.Same(present.MinBy(n => n.Stamp), oldest);
                order.Remove(oldest);
                present.Remove(oldest);
            }

            Assert.Equal(present.Count, order.Count);
        }

        while (present.Count > 0)
        {
            var oldest = order.Oldest()!;
            Assert.Same(present.MinBy(n => n.Stamp), oldest);
            order.Remove(oldest);
            present.Remove(oldest);
        }

        Assert.Null(order.Oldest());
    }

    [Fact]
    public void Oldest_NodeReadAfterBeingPlaced_IsNoLongerTheOldest()
    {
        var order = new RecencyOrder();
        var a = Add(order, "a");
        var b = Add(order, "b");

        Read(a);

        Assert.Same(b, order.Oldest());
        order.Remove(b);
        Assert.Same(a, order.Oldest());
    }

    [Fact]
    public void TakeTouchedAtOldEnd_TouchedNodeAtTheEnd_IsTakenOut()
    {
        var order = new RecencyOrder();
        var a = Add(order, "a");
        var b = Add(order, "b");
        Read(a);

        Assert.Same(a, order.TakeTouchedAtOldEnd());
        Assert.Null(order.TakeTouchedAtOldEnd());
        Assert.Equal(1, order.Count);
        Assert.Same(b, order.Oldest());
    }

    [Fact]
    public void Clear_VisitsEveryNodeInListAndHeap()
    {
        var order = new RecencyOrder();
        var nodes = Enumerable.Range(0, 20).Select(i => Add(order, $"k{i}")).ToList();
        foreach (var node in nodes.Take(10))
        {
            Read(node);
        }

        _ = order.Oldest(); // moves the read ones it meets into the heap
        var seen = new List<CacheNode>();
        order.Clear(seen.Add);

        Assert.Equal(nodes.ToHashSet(), seen.ToHashSet());
        Assert.Equal(0, order.Count);
        Assert.Null(order.Oldest());
    }

    private CacheNode Add(RecencyOrder order, string key)
    {
        var node = new CacheNode(key, "v", 0) { Stamp = ++_stamp };
        order.Add(node);
        return node;
    }

    // What a hit does (ReadRecorder.Record): a newer stamp, then the touched mark.
    private void Read(CacheNode node)
    {
        node.Stamp = ++_stamp;
        node.Touched = true;
    }
}
