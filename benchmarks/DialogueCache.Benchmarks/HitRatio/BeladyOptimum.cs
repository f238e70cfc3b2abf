namespace Dialogue.Caching.Benchmarks.HitRatio;

/// <summary>
/// Belady's optimum (MIN), computed offline: the most hits any cache of the given capacity can get on a trace,
/// the ceiling for every policy. When room is needed it drops the key whose next request is furthest away, the
/// requested key included, so a key never requested again is not kept at all (the bound for policies that may
/// refuse admission, as TinyLFU does). O(n log n): next-use positions in one backward pass, then a max-heap of
/// (next use, key) with lazy deletion of stale pairs.
/// </summary>
internal static class BeladyOptimum
{
    private const int Never = int.MaxValue;

    public static (long Hits, long CountedHits) Hits(int[] requests, int capacity, int maxKeyId, bool[]? isScan)
    {
        var nextUse = new int[requests.Length];
        var last = new int[maxKeyId];
        Array.Fill(last, Never);
        for (var i = requests.Length - 1; i >= 0; i--)
        {
            nextUse[i] = last[requests[i]];
            last[requests[i]] = i;
        }

        // cachedNext[key]: the next use of a cached key, -1 when not cached. A heap pair is current only when
        // it matches; next-use positions are unique, so a stale pair can never match by accident.
        var cachedNext = new int[maxKeyId];
        Array.Fill(cachedNext, -1);
        var heap = new PriorityQueue<int, int>(capacity * 2, Comparer<int>.Create(static (a, b) => b.CompareTo(a)));
        var count = 0;
        long hits = 0;
        long countedHits = 0;
        for (var i = 0; i < requests.Length; i++)
        {
            var key = requests[i];
            var next = nextUse[i];
            if (cachedNext[key] >= 0)
            {
                hits++;
                if (isScan is null || !isScan[i])
                {
                    countedHits++;
                }

                if (next == Never)
                {
                    // Not needed again: free the slot now (what MIN does at the next eviction anyway).
                    cachedNext[key] = -1;
                    count--;
                }
                else
                {
                    cachedNext[key] = next;
                    heap.Enqueue(key, next);
                }

                continue;
            }

            if (next == Never)
            {
                continue;
            }

            if (count == capacity)
            {
                // The cached key needed furthest in the future.
                int victim;
                int victimNext;
                while (true)
                {
                    heap.TryPeek(out victim, out victimNext);
                    if (cachedNext[victim] == victimNext)
                    {
                        break;
                    }

                    heap.Dequeue();
                }

                if (victimNext < next)
                {
                    // Everything cached is needed sooner than this key: do not keep it.
                    continue;
                }

                heap.Dequeue();
                cachedNext[victim] = -1;
                count--;
            }

            cachedNext[key] = next;
            heap.Enqueue(key, next);
            count++;
        }

        return (hits, countedHits);
    }
}
