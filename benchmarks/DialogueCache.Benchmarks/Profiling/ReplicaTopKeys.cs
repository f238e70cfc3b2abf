namespace Dialogue.Caching.Benchmarks.Profiling;

/// <summary>
/// A copy of the engine's TopKeysSummary hit path (Space-Saving counters in a min-heap; a counted read is an
/// increment and a sift-down), for <see cref="HitPathReplica"/>.
/// </summary>
internal sealed class ReplicaTopKeys
{
    private readonly Dictionary<string, Counter> _byKey;
    private readonly Counter[] _heap;
    private int _count;

    public ReplicaTopKeys(int capacity)
    {
        _byKey = new Dictionary<string, Counter>(capacity, StringComparer.Ordinal);
        _heap = new Counter[capacity];
    }

    /// <summary>Counts <paramref name="weight"/> reads of the node's key, through the counter the node remembers when it can.</summary>
    public void Count(ReplicaNode node, long weight)
    {
        var counter = node.TopKeyCounter;
        if (counter is not null && ReferenceEquals(counter.Key, node.Key) && counter.HeapIndex < _count && ReferenceEquals(_heap[counter.HeapIndex], counter))
        {
            counter.Count += weight;
            SiftDown(counter.HeapIndex);
            return;
        }

        node.TopKeyCounter = Record(node.Key, weight);
    }

    private Counter Record(string key, long weight)
    {
        if (_byKey.TryGetValue(key, out var counter))
        {
            counter.Count += weight;
            SiftDown(counter.HeapIndex);
            return counter;
        }

        if (_count < _heap.Length)
        {
            counter = new Counter(key) { Count = weight, HeapIndex = _count };
            _heap[_count++] = counter;
            _byKey.Add(key, counter);
            SiftUp(counter.HeapIndex);
            return counter;
        }

        counter = _heap[0];
        _byKey.Remove(counter.Key);
        counter.Key = key;
        counter.Count += weight;
        _byKey.Add(key, counter);
        SiftDown(0);
        return counter;
    }

    private void SiftUp(int index)
    {
        var counter = _heap[index];
        while (index > 0)
        {
            var parentIndex = (index - 1) >> 1;
            var parent = _heap[parentIndex];
            if (parent.Count <= counter.Count)
            {
                break;
            }

            _heap[index] = parent;
            parent.HeapIndex = index;
            index = parentIndex;
        }

        _heap[index] = counter;
        counter.HeapIndex = index;
    }

    private void SiftDown(int index)
    {
        var counter = _heap[index];
        while (true)
        {
            var child = (index << 1) + 1;
            if (child >= _count)
            {
                break;
            }

            if (child + 1 < _count && _heap[child + 1].Count < _heap[child].Count)
            {
                child++;
            }

            if (counter.Count <= _heap[child].Count)
            {
                break;
            }

            _heap[index] = _heap[child];
            _heap[index].HeapIndex = index;
            index = child;
        }

        _heap[index] = counter;
        counter.HeapIndex = index;
    }

    /// <summary>One monitored key.</summary>
    internal sealed class Counter
    {
        public Counter(string key)
        {
            Key = key;
        }

        public string Key { get; set; }

        public long Count { get; set; }

        public int HeapIndex { get; set; }
    }
}
