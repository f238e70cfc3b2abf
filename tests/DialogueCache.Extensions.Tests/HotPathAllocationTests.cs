using Microsoft.Extensions.Caching.Memory;

namespace Dialogue.Caching.Tests;

/// <summary>
/// "A hit allocates nothing": the bytes this thread allocates across many hits, measured by the runtime, for every
/// read path of the string API and both policies. (Speed is the benchmarks' business; allocation is exact.)
/// </summary>
public sealed class HotPathAllocationTests
{
    // Enough that every key's hits are folded into the top keys several times (ReadRecorder.FoldEvery) in the
    // warm-up too: the first run of a code path may allocate once (type loading, statics), the hundredth may not.
    private const int Reads = 4 * Dialogue.Caching.Engine.ReadRecorder.FoldEvery * 100;

    [Theory]
    [InlineData(EvictionPolicy.Lru)]
    [InlineData(EvictionPolicy.TinyLfu)]
    public void TryGetAndGet_Hits_AllocateNothing(EvictionPolicy policy)
    {
        using var cache = Filled(policy);

        var bytes = AllocatedBy(() =>
        {
            for (var i = 0; i < Reads; i++)
            {
                cache.TryGet(Key(i), out _);
                cache.Get(Key(i));
            }
        });

        Assert.Equal(0, bytes);
        Assert.Equal(2L * Reads * 2, cache.Analytics().Hits); // warm-up and measured pass
    }

    [Theory]
    [InlineData(EvictionPolicy.Lru)]
    [InlineData(EvictionPolicy.TinyLfu)]
    public void GetOrCreateAsync_Hits_AllocateNothing(EvictionPolicy policy)
    {
        using var cache = Filled(policy);
        Func<string, CancellationToken, ValueTask<string>> factory = static (_, _) => throw new InvalidOperationException("a hit calls no factory");

        var bytes = AllocatedBy(() =>
        {
            for (var i = 0; i < Reads; i++)
            {
                var pending = cache.GetOrCreateAsync(Key(i), factory);
                Assert.True(pending.IsCompletedSuccessfully);
                _ = pending.Result;
            }
        });

        Assert.Equal(0, bytes);
    }

    [Fact]
    public void MemoryCacheTryGetValue_Hits_AllocateNothing()
    {
        using var cache = Filled(EvictionPolicy.Lru);
        IMemoryCache memory = cache;

        var bytes = AllocatedBy(() =>
        {
            for (var i = 0; i < Reads; i++)
            {
                memory.TryGetValue(Key(i), out _);
            }
        });

        Assert.Equal(0, bytes);
    }

    private static string Key(int i) => Keys[i % Keys.Length];

    private static readonly string[] Keys = Enumerable.Range(0, 100).Select(i => $"npc:smith|forge|t:line {i}").ToArray();

    private static DialogueCache Filled(EvictionPolicy policy)
    {
        var cache = new DialogueCache(new DialogueCacheOptions { MaxSize = 1_000, EvictionPolicy = policy });
        foreach (var key in Keys)
        {
            cache.Set(key, "value");
        }

        return cache;
    }

    // Runs the action once to warm up (first calls of a path may allocate: JIT, type loading), then measures a second run.
    private static long AllocatedBy(Action action)
    {
        action();
        var before = GC.GetAllocatedBytesForCurrentThread();
        action();
        return GC.GetAllocatedBytesForCurrentThread() - before;
    }
}
