using Dialogue.Caching.Engine;

namespace Dialogue.Caching.Tests.Engine;

public sealed class NodeTableTests
{
    [Fact]
    public void AddFindRemove_StringAndObjectKeys_KeepTheirOwnIdentity()
    {
        var table = new NodeTable(64);
        var text = new CacheNode("42", "text", 0);
        var number = new CacheNode(42, "number", 0);
        table.Add(text, previous: null);
        table.Add(number, previous: null);

        Assert.True(table.TryGetValue("42", out var found) && ReferenceEquals(found, text));
        Assert.True(table.TryGetValue((object)42, out found) && ReferenceEquals(found, number));
        Assert.True(table.Remove(text));
        Assert.False(table.TryGetValue("42", out _));
        Assert.True(table.TryGetValue((object)42, out _));
        Assert.False(table.Remove(text));
    }

    [Fact]
    public void Add_WithPrevious_ReplacesIt()
    {
        var table = new NodeTable(16);
        var old = new CacheNode("k", "old", 0);
        table.Add(old, previous: null);

        var replacement = new CacheNode("k", "new", 0);
        table.Add(replacement, old);

        Assert.True(table.TryGetValue("k", out var found));
        Assert.Same(replacement, found);
        Assert.Single(table.Nodes());
    }

    [Fact]
    public void Remove_NodeAReaderStandsOn_KeepsItsLinkSoTheReaderWalksOn()
    {
        var table = new NodeTable(16);
        var nodes = Enumerable.Range(0, 200).Select(i => new CacheNode($"k{i}", i, 0)).ToList();
        nodes.ForEach(n => table.Add(n, previous: null));

        // Every node is still reachable from every removed node's link.
        foreach (var removed in nodes.Where((_, i) => i % 3 == 0))
        {
            var next = removed.NextInBucket;
            Assert.True(table.Remove(removed));
            Assert.Same(next, removed.NextInBucket);
        }

        Assert.All(nodes.Where((_, i) => i % 3 != 0), n => Assert.True(table.TryGetValue((string)n.Key, out _)));
    }

    [Fact]
    public void Add_ManyKeysCollidingInOneBucket_SwitchesToTheRandomizedHashAndKeepsEveryEntry()
    {
        // Keys whose fast hash lands in one bucket of a 16-bucket table, found by brute force.
        var table = new NodeTable(16);
        var bucket = NodeTable.HashOf("probe") & 15;
        var colliding = Enumerable.Range(0, 100_000).Select(i => $"crafted-{i}")
            .Where(k => (NodeTable.HashOf(k) & 15) == bucket).Take(200).ToList();
        Assert.Equal(200, colliding.Count);

        foreach (var key in colliding)
        {
            table.Add(new CacheNode(key, key, 0), previous: null);
        }

        Assert.True(table.IsRandomized);
        Assert.All(colliding, k => Assert.True(table.TryGetValue(k, out var node) && (string)node.Value! == k));
        Assert.Equal(200, table.Nodes().Count());
        Assert.True(table.TryGetValue(colliding[7], out var some) && table.Remove(some));
        Assert.False(table.TryGetValue(colliding[7], out _));
    }

    [Fact]
    public void Clear_RemovesEverything()
    {
        var table = new NodeTable(16);
        table.Add(new CacheNode("a", 1, 0), previous: null);

        table.Clear();

        Assert.False(table.TryGetValue("a", out _));
        Assert.Empty(table.Nodes());
    }

    [Fact]
    public void HashOf_EqualStrings_Agree_DifferentStringsUsuallyDiffer()
    {
        var keys = Enumerable.Range(0, 10_000).Select(i => $"npc:smith|forge|t:line {i}").ToList();

        Assert.Equal(NodeTable.HashOf(keys[5]), NodeTable.HashOf(new string(keys[5].AsSpan())));
        Assert.True(keys.Select(NodeTable.HashOf).Distinct().Count() > 9_990);
        Assert.True(keys.Select(k => NodeTable.HashOf(k) & 1023).Distinct().Count() == 1024);
    }
}
