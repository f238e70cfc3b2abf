namespace Dialogue.Caching.Engine;

/// <summary>
/// Nodes in exact least-recently-used order by their stamps (<see cref="CacheNode.Stamp"/>), which hits write
/// without a lock: the order is repaired lazily, only where the oldest node is looked for.
/// </summary>
/// <remarks>
/// <para>Nodes sit on a list in the order they were placed (by their stamp at the time), newest at the head. A
/// node read since it was placed is marked <see cref="CacheNode.Touched"/>; it keeps its place until it reaches
/// the list's old end, and is then re-placed by its new stamp: at the head when that stamp is the newest placed,
/// otherwise in a heap keyed by stamp (<see cref="StampHeap"/>). The oldest node is then the older of the list's
/// untouched tail and the heap's top (re-keyed while it is touched): every other list node was placed later than
/// the tail and every other heap node has a key at least the top's, and a stamp is never below its key.</para>
/// <para>A node never read after it was placed costs O(1) to place and to evict; a node read again costs one
/// heap placement, O(log n), when it reaches the old end, instead of a list move on every hit.</para>
/// </remarks>
internal sealed class RecencyOrder
{
    private readonly StampHeap _heap = new();
    private NodeList _list;

    // The newest key placed on the list: an upper bound of every list node's key, so a node placed with a key at
    // least this new keeps the list in order at its head.
    private long _newestPlaced = long.MinValue;

    public int Count => _list.Count + _heap.Count;

    /// <summary>Adds <paramref name="node"/> by its stamp.</summary>
    public void Add(CacheNode node)
    {
        node.Touched = false;
        var key = node.Stamp;
        if (key >= _newestPlaced)
        {
            _newestPlaced = key;
            node.RecencyIndex = -1;
            _list.PushFront(node);
        }
        else
        {
            _heap.Add(node, key);
        }
    }

    public void Remove(CacheNode node)
    {
        if (node.RecencyIndex >= 0)
        {
            _heap.Remove(node);
        }
        else
        {
            _list.Unlink(node);
        }
    }

    /// <summary>The least recently used node (it stays in the order), or null when the order is empty.</summary>
    public CacheNode? Oldest()
    {
        // Bounded: readers on other threads may touch nodes as fast as this repairs them; then the answer is
        // approximate, as reads under concurrency are allowed to be.
        var repairs = Count;
        var tail = _list.Tail;
        while (tail is not null && tail.Touched && repairs-- > 0)
        {
            _list.Unlink(tail);
            Add(tail);
            tail = _list.Tail;
        }

        while (_heap.Top is { Touched: true } top && repairs-- > 0)
        {
            top.Touched = false;
            _heap.RekeyTop(top.Stamp);
        }

        var oldest = _heap.Top;
        return oldest is null || (tail is not null && tail.Stamp <= _heap.TopKey) ? tail : oldest;
    }

    /// <summary>
    /// Removes and returns a node read since it was placed, if one is at the old end of the list or the top of the
    /// heap; null when neither is (the TinyLfu policy promotes such nodes instead of re-placing them).
    /// </summary>
    public CacheNode? TakeTouchedAtOldEnd()
    {
        if (_list.Tail is { Touched: true } tail)
        {
            _list.Unlink(tail);
            return tail;
        }

        if (_heap.Top is { Touched: true } top)
        {
            _heap.Remove(top);
            return top;
        }

        return null;
    }

    /// <summary>Empties the order; <paramref name="forEach"/> sees every node it held.</summary>
    public void Clear(Action<CacheNode> forEach)
    {
        _list.Clear(forEach);
        _heap.Clear(forEach);
        _newestPlaced = long.MinValue;
    }
}
