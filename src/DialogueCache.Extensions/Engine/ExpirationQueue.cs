namespace Dialogue.Caching.Engine;

/// <summary>
/// A binary min-heap of nodes ordered by <see cref="CacheNode.ExpiresAt"/>, so the engine finds the next entry
/// to expire in O(1) and removes any entry in O(log n). A full cache evicts an expired entry before a live one,
/// and the sweeper pops only what has expired instead of scanning every entry. Not thread-safe: the engine
/// calls it under its lock.
/// </summary>
internal sealed class ExpirationQueue
{
    private CacheNode[] _heap = new CacheNode[16];
    private int _count;

    public int Count => _count;

    /// <summary>The node that expires first, or null when empty.</summary>
    public CacheNode? Peek() => _count > 0 ? _heap[0] : null;

    public void Add(CacheNode node)
    {
        if (_count == _heap.Length)
        {
            Array.Resize(ref _heap, _heap.Length * 2);
        }

        _heap[_count] = node;
        node.HeapIndex = _count;
        _count++;
        SiftUp(node.HeapIndex);
    }

    public void Remove(CacheNode node)
    {
        var index = node.HeapIndex;
        if (index < 0)
        {
            return;
        }

        node.HeapIndex = -1;
        _count--;
        if (index == _count)
        {
            _heap[_count] = null!;
            return;
        }

        var last = _heap[_count];
        _heap[_count] = null!;
        _heap[index] = last;
        last.HeapIndex = index;
        if (index > 0 && last.ExpiresAt < _heap[Parent(index)].ExpiresAt)
        {
            SiftUp(index);
        }
        else
        {
            SiftDown(index);
        }
    }

    public void Clear()
    {
        for (var i = 0; i < _count; i++)
        {
            _heap[i].HeapIndex = -1;
        }

        // Release the array too: a cleared cache should not pin the memory of its largest size.
        _heap = new CacheNode[16];
        _count = 0;
    }

    private static int Parent(int index) => (index - 1) >> 1;

    private void SiftUp(int index)
    {
        var node = _heap[index];
        while (index > 0)
        {
            var parentIndex = Parent(index);
            var parent = _heap[parentIndex];
            if (parent.ExpiresAt <= node.ExpiresAt)
            {
                break;
            }

            _heap[index] = parent;
            parent.HeapIndex = index;
            index = parentIndex;
        }

        _heap[index] = node;
        node.HeapIndex = index;
    }

    private void SiftDown(int index)
    {
        var node = _heap[index];
        while (true)
        {
            var child = (index << 1) + 1;
            if (child >= _count)
            {
                break;
            }

            if (child + 1 < _count && _heap[child + 1].ExpiresAt < _heap[child].ExpiresAt)
            {
                child++;
            }

            if (node.ExpiresAt <= _heap[child].ExpiresAt)
            {
                break;
            }

            _heap[index] = _heap[child];
            _heap[index].HeapIndex = index;
            index = child;
        }

        _heap[index] = node;
        node.HeapIndex = index;
    }
}
