using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Dialogue.Caching.Engine;

/// <summary>
/// A striped, bounded, lossy multi-producer buffer of requests waiting to be counted by the engine (the design of
/// Caffeine's and BitFaster's read buffers): a miss records its key here with one compare-and-swap and no lock;
/// the engine drains the buffer in batches under its lock into the top keys and the frequency sketch. When a
/// stripe is full and the lock is busy, the request is dropped: the counts become slightly approximate under
/// heavy concurrency, never inconsistent.
/// </summary>
/// <remarks>
/// A stripe is chosen by the managed thread id, not the processor: a single thread always uses the same
/// stripe, so its requests are drained in the order it made them, and on one thread none is ever dropped.
/// </remarks>
internal sealed class ReadBuffer
{
    /// <summary>Slots per stripe: a power of two.</summary>
    public const int StripeCapacity = 64;

    private readonly Stripe[] _stripes;
    private readonly int _shift;

    public ReadBuffer()
        : this(Environment.ProcessorCount * 4)
    {
    }

    public ReadBuffer(int stripes)
    {
        var count = (int)BitOperations.RoundUpToPowerOf2((uint)Math.Clamp(stripes, 1, 256));
        _stripes = new Stripe[count];
        for (var i = 0; i < count; i++)
        {
            _stripes[i] = new Stripe();
        }

        _shift = 32 - BitOperations.Log2((uint)count);
    }

    /// <summary>The most items a drain can return.</summary>
    public int Capacity => _stripes.Length * StripeCapacity;

    /// <summary>Adds a read; false when the stripe is full or another thread won the slot.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryAdd(object item) => _stripes[StripeIndex()].TryAdd(item);

    /// <summary>Moves every buffered item into <paramref name="destination"/> (at least <see cref="Capacity"/> long).</summary>
    public int DrainTo(object?[] destination)
    {
        var count = 0;
        foreach (var stripe in _stripes)
        {
            count += stripe.DrainTo(destination, count);
        }

        return count;
    }

    // Fibonacci hashing spreads consecutive thread ids over the stripes.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int StripeIndex() => _shift == 32 ? 0 : (int)(((uint)Environment.CurrentManagedThreadId * 0x9E3779B9u) >> _shift);

    private sealed class Stripe
    {
        private const int Mask = StripeCapacity - 1;

        private readonly object?[] _slots = new object?[StripeCapacity];
        private Indexes _indexes;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public bool TryAdd(object item)
        {
            var tail = Volatile.Read(ref _indexes.Tail);
            if (tail - Volatile.Read(ref _indexes.Head) >= StripeCapacity
                || Interlocked.CompareExchange(ref _indexes.Tail, tail + 1, tail) != tail)
            {
                return false;
            }

            Volatile.Write(ref _slots[tail & Mask], item);
            return true;
        }

        // Single consumer: called under the engine lock.
        public int DrainTo(object?[] destination, int offset)
        {
            var head = _indexes.Head;
            var tail = Volatile.Read(ref _indexes.Tail);
            var count = 0;
            while (head < tail)
            {
                ref var slot = ref _slots[head & Mask];
                var item = Volatile.Read(ref slot);
                if (item is null)
                {
                    // A producer claimed this slot but has not written it yet: take it on the next drain.
                    break;
                }

                slot = null;
                destination[offset + count++] = item;
                head++;
            }

            Volatile.Write(ref _indexes.Head, head);
            return count;
        }

        // Tail (written by producers) and head (written by the consumer) on their own cache lines, away
        // from the neighbouring stripe's, so stripes used by different threads do not false-share.
        [StructLayout(LayoutKind.Explicit, Size = 192)]
        private struct Indexes
        {
            [FieldOffset(64)]
            public long Tail;

            [FieldOffset(128)]
            public long Head;
        }
    }
}
