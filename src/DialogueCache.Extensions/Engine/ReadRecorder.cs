using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Dialogue.Caching.Engine;

/// <summary>
/// Records reads without a lock: counts hits and misses, and stamps a hit's node with when it was used, on a recency
/// scale that orders every read and write of the engine. The eviction policy later orders nodes by these stamps
/// (<see cref="RecencyOrder"/>), so a hit costs a few plain writes instead of a queue entry to be replayed.
/// </summary>
/// <remarks>
/// <para>A stamp comes from the calling thread's stripe (a padded cell per group of thread ids, so threads on
/// different cores write different cache lines): one more than the stripe's last stamp, and never below the
/// clock's reading on the recency scale nor the last write's stamp. On one thread stamps therefore strictly
/// increase: single-threaded, eviction order is exact LRU. Across threads they agree to within a clock step (about
/// a millisecond) or, when the clock stands still (a FakeTimeProvider), to within a few dozen reads per thread,
/// because each stripe publishes its stamp as the floor every <see cref="PublishEvery"/> reads.</para>
/// <para>Hit and miss counts are exact without an atomic instruction on the common path: the first thread to use a
/// stripe owns it and counts there with plain increments (nobody else writes those fields); any other thread mapped
/// to the stripe counts atomically in fields of its own. <see cref="CacheNode.Reads"/> is a plain increment,
/// exact on one thread and a close count under concurrency.</para>
/// </remarks>
internal sealed class ReadRecorder
{
    /// <summary>A stripe raises the shared floor to its stamp once every this many stamps.</summary>
    internal const int PublishEvery = 64;

    /// <summary>Hits on a node after which <see cref="Record"/> asks for them to be folded into the counts.</summary>
    internal const int FoldEvery = 128;

    // The clock's ticks are scaled up so that the reads of one tick (a thread makes at most a few hundred per
    // microsecond) fit between two ticks' stamps: the clock, not the counters, orders reads a tick apart.
    private const int TickShift = 6;
    private const long MaxScaledTicks = long.MaxValue >> (TickShift + 2);

    private readonly Cell[] _cells;
    private readonly int _mask;
    private readonly long _origin;

    // Written by every write and every PublishEvery-th hit: on a cache line of its own, away from the fields above
    // that every hit reads.
    private readonly Floor _floor = new();

    /// <param name="origin">The clock reading that is stamp 0: stamps stay small whatever the clock's own scale.</param>
    public ReadRecorder(long origin)
    {
        var count = (int)BitOperations.RoundUpToPowerOf2((uint)Math.Clamp(Environment.ProcessorCount * 4, 16, 256));
        _cells = new Cell[count];
        _mask = count - 1;
        _origin = origin;
    }

    /// <summary>
    /// Counts a hit on <paramref name="node"/> at clock reading <paramref name="now"/> and marks it used; true when the
    /// node's uncounted hits reached <see cref="FoldEvery"/> (a popular key should reach the top keys early, while
    /// they are still few and exact, not only when a snapshot folds every node).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool Record(CacheNode node, long now)
    {
        var thread = Environment.CurrentManagedThreadId;
        ref var cell = ref _cells[thread & _mask];
        if (cell.Owner == thread)
        {
            cell.OwnerHits++;
        }
        else
        {
            CountShared(ref cell, thread);
        }

        var stamp = Math.Max(Math.Max(cell.Stamp, Volatile.Read(ref _floor.Value)), Scaled(now)) + 1;
        cell.Stamp = stamp;
        if ((stamp & (PublishEvery - 1)) == 0)
        {
            Publish(stamp);
        }

        node.Stamp = stamp;
        var reads = ++node.Reads;

        // After the stamp: whoever clears the flag under the lock then reads a stamp at least this new.
        Volatile.Write(ref node.Touched, true);
        return reads == FoldEvery;
    }

    /// <summary>A stamp newer than every stamp this thread has seen, for a write; the floor of later reads. Under the engine lock.</summary>
    public long NextWriteStamp(long now)
    {
        ref var cell = ref _cells[Environment.CurrentManagedThreadId & _mask];
        var stamp = Math.Max(Math.Max(cell.Stamp, Volatile.Read(ref _floor.Value)), Scaled(now)) + 1;
        cell.Stamp = stamp;
        Volatile.Write(ref _floor.Value, stamp);
        return stamp;
    }

    /// <summary>Counts a miss.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void RecordMiss()
    {
        var thread = Environment.CurrentManagedThreadId;
        ref var cell = ref _cells[thread & _mask];
        if (cell.Owner == thread)
        {
            cell.OwnerMisses++;
        }
        else
        {
            CountSharedMiss(ref cell, thread);
        }
    }

    /// <summary>Hits recorded so far (exact).</summary>
    public long Hits()
    {
        long sum = 0;
        for (var i = 0; i < _cells.Length; i++)
        {
            sum += Volatile.Read(ref _cells[i].OwnerHits) + Volatile.Read(ref _cells[i].SharedHits);
        }

        return sum;
    }

    /// <summary>Misses recorded so far (exact).</summary>
    public long Misses()
    {
        long sum = 0;
        for (var i = 0; i < _cells.Length; i++)
        {
            sum += Volatile.Read(ref _cells[i].OwnerMisses) + Volatile.Read(ref _cells[i].SharedMisses);
        }

        return sum;
    }

    /// <summary>Adds <paramref name="count"/> hits counted elsewhere (a store hit served without a node).</summary>
    public void AddHits(long count) => Interlocked.Add(ref _cells[Environment.CurrentManagedThreadId & _mask].SharedHits, count);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private long Scaled(long now)
    {
        var elapsed = now - _origin;
        return elapsed <= 0 ? 0 : elapsed >= MaxScaledTicks ? MaxScaledTicks << TickShift : elapsed << TickShift;
    }

    // The stripe's first thread takes it over; a thread that finds it taken counts atomically beside the owner.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void CountShared(ref Cell cell, int thread)
    {
        if (TryOwn(ref cell, thread))
        {
            cell.OwnerHits++;
            return;
        }

        Interlocked.Increment(ref cell.SharedHits);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void CountSharedMiss(ref Cell cell, int thread)
    {
        if (TryOwn(ref cell, thread))
        {
            cell.OwnerMisses++;
            return;
        }

        Interlocked.Increment(ref cell.SharedMisses);
    }

    private static bool TryOwn(ref Cell cell, int thread) =>
        cell.Owner == 0 && Interlocked.CompareExchange(ref cell.Owner, thread, 0) == 0;

    // Racing publishers may lower the floor a little; it only needs to be roughly current.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private void Publish(long stamp)
    {
        if (stamp > Volatile.Read(ref _floor.Value))
        {
            Volatile.Write(ref _floor.Value, stamp);
        }
    }

    // A stripe: its owner's plain counts, everyone else's atomic counts and the stripe's last stamp, alone on their
    // cache line (the padding before and after keeps neighbouring stripes off it).
    [StructLayout(LayoutKind.Explicit, Size = 192)]
    private struct Cell
    {
        [FieldOffset(64)]
        public int Owner;

        [FieldOffset(72)]
        public long OwnerHits;

        [FieldOffset(80)]
        public long SharedHits;

        [FieldOffset(88)]
        public long Stamp;

        [FieldOffset(96)]
        public long OwnerMisses;

        [FieldOffset(104)]
        public long SharedMisses;
    }

    [StructLayout(LayoutKind.Explicit, Size = 128)]
    private sealed class Floor
    {
        [FieldOffset(64)]
        public long Value;
    }
}
