using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Dialogue.Caching.Engine;

/// <summary>
/// A 64-bit counter split into padded cells so threads on different cores increment different cache lines
/// (a single shared counter bounces its cache line between cores on every hit). Exact: the sum of the
/// cells is the number of increments that completed.
/// </summary>
internal sealed class StripedCounter
{
    private readonly Cell[] _cells;
    private readonly int _mask;

    public StripedCounter()
    {
        var count = (int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)Math.Clamp(Environment.ProcessorCount * 2, 2, 64));
        _cells = new Cell[count];
        _mask = count - 1;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Increment() => Interlocked.Increment(ref _cells[Environment.CurrentManagedThreadId & _mask].Value);

    public void Add(long value) => Interlocked.Add(ref _cells[Environment.CurrentManagedThreadId & _mask].Value, value);

    public long Sum()
    {
        long sum = 0;
        for (var i = 0; i < _cells.Length; i++)
        {
            sum += Volatile.Read(ref _cells[i].Value);
        }

        return sum;
    }

    [StructLayout(LayoutKind.Explicit, Size = 128)]
    private struct Cell
    {
        [FieldOffset(64)]
        public long Value;
    }
}
