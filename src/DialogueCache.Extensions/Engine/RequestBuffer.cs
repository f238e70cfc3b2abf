using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Dialogue.Caching.Engine;

/// <summary>
/// A striped, bounded multi-producer buffer of requests waiting to be counted in the top keys and the frequency
/// sketch (the design of Caffeine's and BitFaster's read buffers): a miss (its key and the key's hash) or a node
/// whose hits are due to be folded. A request takes a slot with one compare-and-swap and no lock; the engine drains
/// the buffer in batches under its counts lock.
/// </summary>
/// <remarks>
/// A stripe is chosen by the managed thread id, not the processor: a single thread always uses the same stripe, so
/// its requests are drained in the order it made them. A full stripe is the caller's to drain
/// (<see cref="TryAdd"/> returns false): nothing is dropped.
/// </remarks>
internal sealed class RequestBuffer
{
    /// <summary>Slots per stripe: a power of two.</summary>
    public const int StripeCapacity = 64;

    private readonly Stripe[] _stripes;
    private readonly int _shift;

    public RequestBuffer()
        : this(Environment.ProcessorCount * 4)
    {
    }

    public RequestBuffer(int stripes)
    {
        var count = (int)BitOperations.RoundUpToPowerOf2((uint)Math.Clamp(stripes, 1, 256));
        _stripes = new Stripe[count];
        for (var i = 0; i < count; i++)
        {
            _stripes[i] = new Stripe();
        }

        _shift = 32 - BitOperations.Log2((uint)count);
    }

    /// <summary>The most requests a drain can return.</summary>
    public int Capacity => _stripes.Length * StripeCapacity;

    /// <summary>Adds a request (a missed key with its hash, or a node); false only when the calling thread's stripe is full.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryAdd(object item, int hash) => _stripes[StripeIndex()].TryAdd(item, hash);

    /// <summary>Moves every buffered request into <paramref name="destination"/> (at least <see cref="Capacity"/> long). One consumer at a time.</summary>
    public int DrainTo(Request[] destination)
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

    /// <summary>A buffered request: a missed key and its <see cref="NodeTable.HashOf"/>, or a <see cref="CacheNode"/>.</summary>
    public struct Request
    {
        public object? Item;
        public int Hash;
    }

    private sealed class Stripe
    {
        private const int Mask = StripeCapacity - 1;

        private readonly Request[] _slots = new Request[StripeCapacity];
        private Indexes _indexes;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public bool TryAdd(object item, int hash)
        {
            while (true)
            {
                var tail = Volatile.Read(ref _indexes.Tail);
                if (tail - Volatile.Read(ref _indexes.Head) >= StripeCapacity)
                {
                    return false;
                }

                // Another producer on this stripe took the slot: try the next one.
                if (Interlocked.CompareExchange(ref _indexes.Tail, tail + 1, tail) == tail)
                {
                    ref var slot = ref _slots[tail & Mask];
                    slot.Hash = hash;

                    // The item last: a consumer that sees it sees the hash.
                    Volatile.Write(ref slot.Item, item);
                    return true;
                }
            }
        }

        public int DrainTo(Request[] destination, int offset)
        {
            var head = _indexes.Head;
            var tail = Volatile.Read(ref _indexes.Tail);
            var count = 0;
            while (head < tail)
            {
                ref var slot = ref _slots[head & Mask];
                var item = Volatile.Read(ref slot.Item);
                if (item is null)
                {
                    // A producer claimed this slot but has not written it yet: take it on the next drain.
                    break;
                }

                destination[offset + count++] = new Request { Item = item, Hash = slot.Hash };
                slot.Item = null;
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
