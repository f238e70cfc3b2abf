using System.Numerics;

namespace Dialogue.Caching.Analytics;

/// <summary>
/// Estimates how often each key was read, in fixed memory: four rows of 32-bit counters, the estimate being the
/// smallest of a key's four. With conservative update (only the smallest counters grow) an estimate is never
/// below the true count and rarely far above it. No ageing: top keys are counted since the cache started or was
/// cleared.
/// </summary>
internal sealed class CountMinSketch
{
    private const int Rows = 4;
    private static readonly uint[] Seeds = [0x9E3779B1u, 0x85EBCA77u, 0xC2B2AE3Du, 0x27D4EB2Fu];

    private readonly uint[] _counters;
    private readonly int _mask;

    public CountMinSketch(int width)
    {
        var rowWidth = (int)BitOperations.RoundUpToPowerOf2((uint)Math.Max(width, 16));
        _counters = new uint[Rows * rowWidth];
        _mask = rowWidth - 1;
    }

    /// <summary>Adds <paramref name="weight"/> reads of the key with hash <paramref name="hash"/>; returns its new estimate.</summary>
    public long Add(int hash, long weight)
    {
        Span<int> slots = stackalloc int[Rows];
        var minimum = uint.MaxValue;
        for (var row = 0; row < Rows; row++)
        {
            slots[row] = Slot(hash, row);
            minimum = Math.Min(minimum, _counters[slots[row]]);
        }

        var target = (uint)Math.Min((long)minimum + weight, uint.MaxValue);
        for (var row = 0; row < Rows; row++)
        {
            ref var counter = ref _counters[slots[row]];
            if (counter < target)
            {
                counter = target;
            }
        }

        return target;
    }

    public void Clear() => Array.Clear(_counters);

    private int Slot(int hash, int row)
    {
        var mixed = ((uint)hash ^ (uint)(hash >> 16)) * Seeds[row];
        return (row * (_mask + 1)) + (int)((mixed ^ (mixed >> 15)) & (uint)_mask);
    }
}
