namespace Dialogue.Caching.Engine;

/// <summary>
/// A binary min-heap of nodes keyed by a recency stamp, the keys stored beside the nodes so sifting compares
/// within the array instead of reaching into every node. Each node knows its index
/// (<see cref="CacheNode.RecencyIndex"/>), so any node is removed in O(log n). Not thread-safe: used under the
/// engine lock.
/// </summary>
internal sealed class StampHeap
{
    private Entry[] _entries = [];
    private int _count;

    public int Count => _count;

    /// <summary>The node with the smallest key, or null.</summary>
    public CacheNode? Top => _count > 0 ? _entries[0].Node : null;

    /// <summary>The smallest key; only when <see cref="Count"/> is not 0.</summary>
    public long TopKey => _entries[0].Key;

    public void Add(CacheNode node, long key)
    {
        if (_count == _entries.Length)
        {
            Array.Resize(ref _entries, Math.Max(16, _entries.Length * 2));
        }

        SiftUp(_count++, new Entry(key, node));
    }

    public void Remove(CacheNode node)
    {
        var index = node.RecencyIndex;
        node.RecencyIndex = -1;
        var last = _entries[--_count];
        _entries[_count] = default;
        if (index == _count)
        {
            return;
        }

        if (index > 0 && last.Key < _entries[Parent(index)].Key)
        {
            SiftUp(index, last);
        }
        else
        {
            SiftDown(index, last);
        }
    }

    /// <summary>Gives the top node a new, larger key.</summary>
    public void RekeyTop(long key) => SiftDown(0, new Entry(key, _entries[0].Node));

    /// <summary>Empties the heap; <paramref name="forEach"/> sees every node it held.</summary>
    public void Clear(Action<CacheNode> forEach)
    {
        for (var i = 0; i < _count; i++)
        {
            var node = _entries[i].Node;
            node.RecencyIndex = -1;
            forEach(node);
        }

        // Release the array too: a cleared cache should not pin the memory of its largest size.
        _entries = [];
        _count = 0;
    }

    private static int Parent(int index) => (index - 1) >> 1;

    private void SiftUp(int index, Entry entry)
    {
        while (index > 0)
        {
            var parentIndex = Parent(index);
            var parent = _entries[parentIndex];
            if (parent.Key <= entry.Key)
            {
                break;
            }

            Place(index, parent);
            index = parentIndex;
        }

        Place(index, entry);
    }

    private void SiftDown(int index, Entry entry)
    {
        while (true)
        {
            var child = (index << 1) + 1;
            if (child >= _count)
            {
                break;
            }

            if (child + 1 < _count && _entries[child + 1].Key < _entries[child].Key)
            {
                child++;
            }

            if (entry.Key <= _entries[child].Key)
            {
                break;
            }

            Place(index, _entries[child]);
            index = child;
        }

        Place(index, entry);
    }

    private void Place(int index, Entry entry)
    {
        _entries[index] = entry;
        entry.Node.RecencyIndex = index;
    }

    private readonly record struct Entry(long Key, CacheNode Node);
}
