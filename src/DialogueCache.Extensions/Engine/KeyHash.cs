using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Security.Cryptography;

namespace Dialogue.Caching.Engine;

/// <summary>
/// A fast, per-process-seeded hash of a string key's characters (a wyhash-style multiply-fold over 16 bytes at a
/// time), several times cheaper than the runtime's Marvin on the ~50-character keys a dialogue cache holds. It is
/// not a keyed hash with proven flooding resistance: <see cref="NodeTable"/> watches its chain lengths and
/// switches to the randomized runtime hash if one ever grows long, as ConcurrentDictionary does.
/// </summary>
internal static class KeyHash
{
    private const ulong P0 = 0xa0761d6478bd642fUL;
    private const ulong P1 = 0xe7037ed1a0b428dbUL;
    private const ulong P2 = 0x8ebc6af09c88c6e3UL;

    private static readonly ulong Seed = BitConverter.ToUInt64(RandomNumberGenerator.GetBytes(8));

    public static int Of(string key)
    {
        var bytes = MemoryMarshal.AsBytes(key.AsSpan());
        ref var start = ref MemoryMarshal.GetReference(bytes);
        var h = Seed ^ ((ulong)bytes.Length * P0);
        for (var i = 0; i + 16 <= bytes.Length; i += 16)
        {
            var a = Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref start, i));
            var b = Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref start, i + 8));
            h = Mix(a ^ P1, b ^ h);
        }

        // The tail: the last 16 bytes again, overlapping what was mixed (no copy), or, for a key shorter than
        // 16 bytes, its bytes read in two halves.
        ulong tailA, tailB;
        if (bytes.Length >= 16)
        {
            tailA = Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref start, bytes.Length - 16));
            tailB = Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref start, bytes.Length - 8));
        }
        else if (bytes.Length >= 8)
        {
            tailA = Unsafe.ReadUnaligned<ulong>(ref start);
            tailB = Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref start, bytes.Length - 8));
        }
        else if (bytes.Length >= 4)
        {
            tailA = Unsafe.ReadUnaligned<uint>(ref start);
            tailB = Unsafe.ReadUnaligned<uint>(ref Unsafe.Add(ref start, bytes.Length - 4));
        }
        else
        {
            tailA = bytes.Length > 0 ? Unsafe.ReadUnaligned<ushort>(ref start) : 0UL;
            tailB = 0;
        }

        h = Mix(tailA ^ P1, tailB ^ h);
        h = Mix(h ^ P2, (ulong)bytes.Length ^ P1);
        return (int)(h ^ (h >> 32));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong Mix(ulong a, ulong b)
    {
        var high = Math.BigMul(a, b, out var low);
        return high ^ low;
    }
}
