namespace Dialogue.Caching.Analytics;

/// <summary>
/// The most frequently read keys in bounded memory: the Space-Saving algorithm (Metwally et al., 2005)
/// over a fixed number of counters kept in a min-heap. A key that is already counted costs one increment;
/// a new key takes over the smallest counter. Any key read more than N / capacity times (N = all reads) is
/// guaranteed to be monitored, and on skewed workloads the heavy keys' counts are exact or nearly so, because
/// they take their counters early when the smallest count is still low. Not thread-safe: the engine calls it
/// under its lock while draining reads.
/// </summary>
internal sealed class TopKeysSummary
{
    private readonly Dictionary<string, TopKeyCounter> _byKey;
    private readonly TopKeyCounter[] _heap;
    private int _count;

    public TopKeysSummary(int capacity)
    {
        _byKey = new Dictionary<string, TopKeyCounter>(capacity, StringComparer.Ordinal);
        _heap = new TopKeyCounter[capacity];
    }

    /// <summary>Counts one read of <paramref name="key"/>; returns the counter that now holds it (null when capacity is 0).</summary>
    public TopKeyCounter? Record(string key)
    {
        if (_byKey.TryGetValue(key, out var counter))
        {
            counter.Count++;
            SiftDown(counter.HeapIndex);
            return counter;
        }

        if (_heap.Length == 0)
        {
            return null;
        }

        if (_count < _heap.Length)
        {
            counter = new TopKeyCounter(key) { Count = 1, HeapIndex = _count };
            _heap[_count++] = counter;
            _byKey.Add(key, counter);
            SiftUp(counter.HeapIndex);
            return counter;
        }

        // Space-Saving: the new key inherits the smallest counter and its count as possible error.
        counter = _heap[0];
        _byKey.Remove(counter.Key);
        counter.Key = key;
        counter.Error = counter.Count;
        counter.Count++;
        _byKey.Add(key, counter);
        SiftDown(0);
        return counter;
    }

    /// <summary>
    /// Counts one more read for a counter a node remembered (the fast path of a hit). False when the summary
    /// no longer holds that counter (it was cleared since): the caller then records the key anew.
    /// </summary>
    public bool TryIncrement(TopKeyCounter counter)
    {
        var index = counter.HeapIndex;
        if (index >= _count || !ReferenceEquals(_heap[index], counter))
        {
            return false;
        }

        counter.Count++;
        SiftDown(index);
        return true;
    }

    /// <summary>The <paramref name="count"/> keys with the highest counts, highest first (ties by key, for a stable order).</summary>
    public KeyFrequency[] Top(int count)
    {
        var take = Math.Min(count, _count);
        if (take <= 0)
        {
            return [];
        }

        var all = new KeyFrequency[_count];
        for (var i = 0; i < _count; i++)
        {
            all[i] = new KeyFrequency(_heap[i].Key, _heap[i].Count);
        }

        Array.Sort(all, static (a, b) => a.Count != b.Count ? b.Count.CompareTo(a.Count) : string.CompareOrdinal(a.Key, b.Key));
        return all.AsSpan(0, take).ToArray();
    }

    public void Clear()
    {
        Array.Clear(_heap, 0, _count);
        _byKey.Clear();
        _count = 0;
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
}
