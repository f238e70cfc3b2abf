using System.Runtime.CompilerServices;

namespace Dialogue.Caching.Benchmarks.Peers;

/// <summary>
/// The workload loops, written once and specialized by the JIT for each adapter struct. The loops index
/// pre-generated arrays only: nothing is allocated in them except what the cache itself allocates.
/// </summary>
internal sealed class TypedCacheSubject<TAdapter> : CacheSubject
    where TAdapter : struct, ICacheAdapter
{
    // Not readonly: TAdapter is not known to be a readonly struct here, so the compiler would call every
    // member of a readonly field through a defensive copy.
#pragma warning disable IDE0044
    private TAdapter _cache;
#pragma warning restore IDE0044

    public TypedCacheSubject(string name, TAdapter cache)
        : base(name)
    {
        _cache = cache;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    public override long Reads(string[] keys, int[] order, int start, int operations)
    {
        long hits = 0;
        var position = start % order.Length;
        for (var i = 0; i < operations; i++)
        {
            if (_cache.TryGet(keys[order[position]], out _))
            {
                hits++;
            }

            // A compare instead of a modulo: a division would cost as much as a fast cache's whole hit.
            if (++position == order.Length)
            {
                position = 0;
            }
        }

        return hits;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    public override long Mixed(string[] keys, string[] values, int[] trace, int start, int operations)
    {
        long hits = 0;
        var position = start % trace.Length;
        for (var i = 0; i < operations; i++)
        {
            var entry = trace[position];
            if (entry >= 0)
            {
                if (_cache.TryGet(keys[entry], out _))
                {
                    hits++;
                }
            }
            else
            {
                _cache.Set(keys[~entry], values[~entry]);
            }

            if (++position == trace.Length)
            {
                position = 0;
            }
        }

        return hits;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    public override void Sets(string[] keys, string[] values, int[] order, int start, int operations)
    {
        var position = start % order.Length;
        for (var i = 0; i < operations; i++)
        {
            var id = order[position];
            _cache.Set(keys[id], values[id]);
            if (++position == order.Length)
            {
                position = 0;
            }
        }
    }

    public override void Fill(string[] keys, string[] values, int count)
    {
        for (var i = 0; i < count; i++)
        {
            _cache.Set(keys[i], values[i]);
        }
    }

    public override long Replay(string[] keys, string value, int[] trace, bool[]? countMask, out long countedHits)
    {
        long hits = 0;
        countedHits = 0;
        for (var i = 0; i < trace.Length; i++)
        {
            var key = keys[trace[i]];
            if (_cache.TryGet(key, out _))
            {
                hits++;
                if (countMask is null || countMask[i])
                {
                    countedHits++;
                }
            }
            else
            {
                _cache.Set(key, value);
            }
        }

        return hits;
    }

    public override void Dispose() => _cache.Dispose();
}
