using Dialogue.Caching.Engine;

namespace Dialogue.Caching.Tests.Engine;

public sealed class ExpirationQueueTests
{
    [Fact]
    public void PeekAndRemove_RandomOperations_AlwaysYieldEarliestExpiry()
    {
        var random = new Random(1);
        var queue = new ExpirationQueue();
        var live = new List<CacheNode>();
        for (var step = 0; step < 20_000; step++)
        {
            if (live.Count == 0 || random.Next(3) > 0)
            {
                var node = new CacheNode($"k{step}", "v", random.Next(1000));
                queue.Add(node);
                live.Add(node);
            }
            else
            {
                var victim = live[random.Next(live.Count)];
                queue.Remove(victim);
                live.Remove(victim);
                Assert.Equal(-1, victim.HeapIndex);
            }

            Assert.Equal(live.Count, queue.Count);
            Assert.Equal(live.Count == 0 ? (long?)null : live.Min(n => n.ExpiresAt), queue.Peek()?.ExpiresAt);
        }
    }

    [Fact]
    public void Remove_NodeNotInQueue_IsIgnored()
    {
        var queue = new ExpirationQueue();
        queue.Add(new CacheNode("a", "v", 5));

        queue.Remove(new CacheNode("b", "v", 1));

        Assert.Equal(1, queue.Count);
    }

    [Fact]
    public void Clear_DetachesEveryNode()
    {
        var queue = new ExpirationQueue();
        var nodes = Enumerable.Range(0, 100).Select(i => new CacheNode($"k{i}", "v", i)).ToList();
        nodes.ForEach(queue.Add);

        queue.Clear();

        Assert.Equal(0, queue.Count);
        Assert.Null(queue.Peek());
        Assert.All(nodes, n => Assert.Equal(-1, n.HeapIndex));
    }
}
