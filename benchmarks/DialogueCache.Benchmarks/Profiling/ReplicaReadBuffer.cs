using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Dialogue.Caching.Benchmarks.Profiling;

/// <summary>A copy of the engine's ReadBuffer (striped by thread id, 64 slots a stripe, CAS on the tail), for <see cref="HitPathReplica"/>.</summary>
internal sealed class ReplicaReadBuffer
{
    private const int StripeCapacity = 64;
    private const int Mask = StripeCapacity - 1;

    private readonly Stripe[] _stripes;
    private readonly int _shift;

    public ReplicaReadBuffer()
    {
        var count = (int)BitOperations.RoundUpToPowerOf2((uint)Math.Clamp(Environment.ProcessorCount * 4, 1, 256));
        _stripes = new Stripe[count];
        for (var i = 0; i < count; i++)
        {
            _stripes[i] = new Stripe();
        }

        _shift = 32 - BitOperations.Log2((uint)count);
    }

    public int Capacity => _stripes.Length * StripeCapacity;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryAdd(object item) =>
        _stripes[_shift == 32 ? 0 : (int)(((uint)Environment.CurrentManagedThreadId * 0x9E3779B9u) >> _shift)].TryAdd(item);

    public int DrainTo(object?[] destination)
    {
        var count = 0;
        foreach (var stripe in _stripes)
        {
            count += stripe.DrainTo(destination, count);
        }

        return count;
    }

    private sealed class Stripe
    {
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
                    break;
                }

                slot = null;
                destination[offset + count++] = item;
                head++;
            }

            Volatile.Write(ref _indexes.Head, head);
            return count;
        }

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
