namespace Dialogue.Caching.Analytics;

/// <summary>
/// The most frequently read keys in bounded memory: Space-Saving (Metwally et al., 2005) over a fixed number of
/// counters kept in a min-heap, with a count-min sketch deciding which unmonitored keys may take a counter.
/// </summary>
/// <remarks>
/// <para>A monitored key's reads are added to its counter. An unmonitored key takes over the smallest counter only
/// once the sketch estimates it was read more often than that counter's count, and starts from that estimate
/// (never below its true count). Plain Space-Saving hands a counter to every unmonitored key, so a long tail of
/// keys read once churns the heap on every miss; the sketch keeps that churn away while the counters hold the
/// heavy keys, whose counts are exact from the moment they are monitored.</para>
/// <para>While fewer distinct keys were read than there are counters, every count is exact. Not thread-safe:
/// the engine calls it under its lock.</para>
/// </remarks>
internal sealed class TopKeysSummary
{
    private readonly Dictionary<string, TopKeyCounter> _byKey;
    private readonly TopKeyCounter[] _heap;
    private readonly CountMinSketch? _sketch;
    private int _count;

    public TopKeysSummary(int capacity)
    {
        _byKey = new Dictionary<string, TopKeyCounter>(capacity, StringComparer.Ordinal);

        // Every counter up front (about 40 bytes each): the first reads of a key, often a cache hit, then allocate
        // nothing.
        _heap = new TopKeyCounter[capacity];
        for (var i = 0; i < capacity; i++)
        {
            _heap[i] = new TopKeyCounter(string.Empty);
        }

        _sketch = capacity > 0 ? new CountMinSketch(Math.Max(capacity * 4, 1024)) : null;
    }

    /// <summary>Counts one read of <paramref name="key"/>.</summary>
    public void Record(string key) => Record(key, 1, Engine.NodeTable.HashOf(key));

    /// <summary>Counts <paramref name="weight"/> reads of <paramref name="key"/>, whose hash code is <paramref name="hash"/>.</summary>
    public void Record(string key, long weight, int hash)
    {
        if (_sketch is null)
        {
            return;
        }

        // Every read goes into the sketch, so an estimate is never below a key's true count, nor below a monitored
        // key's counter. A key estimated below the smallest counter is therefore not monitored and cannot take one
        // over: the long tail of a full summary stops here, without a dictionary lookup.
        var estimate = _sketch.Add(hash, weight);
        if (_count == _heap.Length && estimate < _heap[0].Count)
        {
            return;
        }

        if (_byKey.TryGetValue(key, out var counter))
        {
            counter.Count += weight;
            SiftDown(counter.HeapIndex);
            return;
        }

        if (_count < _heap.Length)
        {
            counter = _heap[_count];
            counter.Key = key;
            counter.Count = weight;
            counter.HeapIndex = _count++;
            _byKey.Add(key, counter);
            SiftUp(counter.HeapIndex);
            return;
        }

        var smallest = _heap[0];
        if (estimate <= smallest.Count)
        {
            return;
        }

        _byKey.Remove(smallest.Key);
        smallest.Key = key;
        smallest.Count = estimate;
        _byKey.Add(key, smallest);
        SiftDown(0);
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
        for (var i = 0; i < _count; i++)
        {
            _heap[i].Key = string.Empty;
            _heap[i].Count = 0;
        }

        _byKey.Clear();
        _sketch?.Clear();
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
