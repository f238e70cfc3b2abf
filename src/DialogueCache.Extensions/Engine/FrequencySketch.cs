using System.Numerics;

namespace Dialogue.Caching.Engine;

/// <summary>
/// A count-min sketch of 4-bit counters estimating how often each key was requested recently (the design of
/// Caffeine's FrequencySketch), in about 16 bytes per cache entry. Four counters per key; the estimate is the
/// smallest. Once the sketch has counted thirty times the cache's size, every counter is halved: frequencies
/// age, so what was popular long ago does not hold its place forever.
/// </summary>
/// <remarks>
/// Two choices differ from Caffeine's, both measured on the Zipf traces of the benchmarks (hit ratio at
/// capacity 1,000 / 10,000): conservative update (only the smallest of a key's counters grows, so collisions
/// inflate estimates less) and a table twice as wide, +0.4 to +0.8 points; aging every 30 × capacity rather
/// than 10 ×, +0.2 to +0.5 points on stationary popularity at the price of adapting more slowly to a shift.
/// </remarks>
internal sealed class FrequencySketch
{
    private const long ResetMask = 0x7777777777777777L;
    private const long OneMask = 0x1111111111111111L;
    private static readonly ulong[] Seeds = [0xc3a5c85c97cb3127UL, 0xb492b66fbe98f273UL, 0x9ae16a3b2f90404fUL, 0xcbf29ce484222325UL];

    private readonly long[] _table;
    private readonly int _tableMask;
    private readonly int _sampleSize;
    private int _size;

    public FrequencySketch(int maximumSize)
    {
        var tableSize = (int)BitOperations.RoundUpToPowerOf2((uint)Math.Clamp(2L * maximumSize, 16, 1 << 30));
        _table = new long[tableSize];
        _tableMask = tableSize - 1;
        _sampleSize = (int)Math.Min(30L * Math.Max(maximumSize, 1), int.MaxValue);
    }

    /// <summary>The estimated recent frequency of a key's hash, from 0 to 15.</summary>
    public int Frequency(int hash)
    {
        hash = Spread(hash);
        var start = (hash & 3) << 2;
        var frequency = int.MaxValue;
        for (var i = 0; i < 4; i++)
        {
            frequency = Math.Min(frequency, CounterAt(IndexOf(hash, i), start + i));
        }

        return frequency;
    }

    /// <summary>Counts one more occurrence of a key's hash (saturating at 15), ageing the sketch when due.</summary>
    public void Increment(int hash) => Increment(hash, 1);

    /// <summary>Counts <paramref name="count"/> more occurrences of a key's hash (saturating at 15), ageing the sketch when due.</summary>
    public void Increment(int hash, long count)
    {
        hash = Spread(hash);
        var start = (hash & 3) << 2;
        Span<int> indexes = stackalloc int[4];
        var minimum = int.MaxValue;
        for (var i = 0; i < 4; i++)
        {
            indexes[i] = IndexOf(hash, i);
            minimum = Math.Min(minimum, CounterAt(indexes[i], start + i));
        }

        if (minimum == 15)
        {
            return;
        }

        // Conservative update: raise only the counters below the new minimum to it; the others already over-count.
        var target = (int)Math.Min(minimum + count, 15);
        for (var i = 0; i < 4; i++)
        {
            var shift = (start + i) << 2;
            var counter = CounterAt(indexes[i], start + i);
            if (counter < target)
            {
                _table[indexes[i]] += (long)(target - counter) << shift;
            }
        }

        // Ageing counts what the key's estimate rose by: a burst of reads folded at once ages the sketch as the
        // same reads one by one would have, up to the saturated count.
        _size += target - minimum;
        if (_size >= _sampleSize)
        {
            Reset();
        }
    }

    public void Clear()
    {
        Array.Clear(_table);
        _size = 0;
    }

    // A supplementary hash: the key's own hash code may be weak in its low bits.
    private static int Spread(int x)
    {
        var h = (uint)x;
        h = ((h >> 16) ^ h) * 0x45d9f3b;
        h = ((h >> 16) ^ h) * 0x45d9f3b;
        return (int)((h >> 16) ^ h);
    }

    private int IndexOf(int hash, int i)
    {
        var h = ((ulong)(uint)hash + Seeds[i]) * Seeds[i];
        h += h >> 32;
        return (int)h & _tableMask;
    }

    private int CounterAt(int index, int counter) => (int)((ulong)_table[index] >> (counter << 2) & 0xF);

    private void Reset()
    {
        var odd = 0;
        for (var i = 0; i < _table.Length; i++)
        {
            odd += BitOperations.PopCount((ulong)(_table[i] & OneMask));
            _table[i] = (long)((ulong)_table[i] >> 1) & ResetMask;
        }

        _size = (_size >> 1) - (odd >> 2);
    }
}
