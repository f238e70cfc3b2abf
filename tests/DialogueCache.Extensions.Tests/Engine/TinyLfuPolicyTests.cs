using Dialogue.Caching.Tests.Support;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Time.Testing;

namespace Dialogue.Caching.Tests.Engine;

/// <summary>The frequency-aware policy: admission by frequency, scan resistance, and every invariant LRU keeps.</summary>
public sealed class TinyLfuPolicyTests
{
    private readonly FakeTimeProvider _time = new();

    [Fact]
    public void Set_BeyondCapacity_KeepsSizeAndNewestEntry()
    {
        using var cache = NewCache(maxSize: 50);

        for (var i = 0; i < 1000; i++)
        {
            cache.Set($"k{i}", $"v{i}");
            Assert.Equal($"v{i}", cache.Get($"k{i}"));
            Assert.True(cache.Count <= 50);
        }
    }

    [Fact]
    public void Scan_OfOneOffKeys_DoesNotFlushFrequentlyReadEntries()
    {
        using var lfu = NewCache(maxSize: 100);
        using var lru = NewCache(maxSize: 100, EvictionPolicy.Lru);
        foreach (var cache in new[] { lfu, lru })
        {
            for (var round = 0; round < 5; round++)
            {
                for (var i = 0; i < 80; i++)
                {
                    if (cache.Get($"hot{i}") is null)
                    {
                        cache.Set($"hot{i}", "v");
                    }
                }
            }

            for (var i = 0; i < 1000; i++)
            {
                cache.Set($"scan{i}", "v");
            }
        }

        Assert.True(CountPresent(lfu) >= 76, $"TinyLfu kept {CountPresent(lfu)} of 80 hot entries");
        Assert.Equal(0, CountPresent(lru));

        static int CountPresent(DialogueCache cache)
        {
            var (before, present) = (cache.Analytics().Hits, 0);
            for (var i = 0; i < 80; i++)
            {
                present += cache.Get($"hot{i}") is null ? 0 : 1;
            }

            Assert.True(cache.Analytics().Hits >= before);
            return present;
        }
    }

    [Fact]
    public void FrequentKey_SurvivesNewcomersThatLruWouldKeep()
    {
        using var cache = NewCache(maxSize: 10);
        cache.Set("popular", "v");
        for (var i = 0; i < 10; i++)
        {
            cache.Get("popular");
        }

        for (var i = 0; i < 100; i++)
        {
            cache.Set($"once{i}", "v");
        }

        Assert.Equal("v", cache.Get("popular"));
    }

    [Theory]
    [InlineData(0.7, 1_000)]
    [InlineData(0.9, 1_000)]
    [InlineData(0.9, 5_000)]
    public void ZipfTrace_HitRatio_BeatsLru(double exponent, int capacity)
    {
        var trace = ZipfTrace.Generate(50_000, exponent, 300_000, seed: 11);

        var lru = Replay(trace, capacity, EvictionPolicy.Lru);
        var lfu = Replay(trace, capacity, EvictionPolicy.TinyLfu);

        Assert.True(lfu > lru + 0.03, $"TinyLfu {lfu:P2} vs LRU {lru:P2}");
    }

    [Fact]
    public void NeverRemove_IsEvictedLast()
    {
        using var cache = NewCache(maxSize: 5);
        IMemoryCache memory = cache;
        memory.Set("pinned", 1, new MemoryCacheEntryOptions { Priority = CacheItemPriority.NeverRemove });

        for (var i = 0; i < 100; i++)
        {
            cache.Set($"k{i}", "v");
        }

        Assert.True(memory.TryGetValue("pinned", out _));
        Assert.Equal(5, cache.Count);
    }

    [Fact]
    public void NeverRemove_CacheFullOfThem_ANewEntryGoesInAndTheOldestPinnedGoes()
    {
        using var cache = NewCache(maxSize: 5);
        IMemoryCache memory = cache;
        var pinned = new MemoryCacheEntryOptions { Priority = CacheItemPriority.NeverRemove };
        for (var i = 0; i < 5; i++)
        {
            memory.Set($"p{i}", i, pinned);
        }

        cache.Set("normal", "v");

        Assert.Equal("v", cache.Get("normal"));
        Assert.False(memory.TryGetValue("p0", out _));
        Assert.Equal(5, cache.Count);
    }

    [Fact]
    public void ExpiredEntries_LeaveBeforeLiveOnes()
    {
        using var cache = NewCache(maxSize: 3);
        cache.Set("short", "v", TimeSpan.FromSeconds(1));
        cache.Set("a", "v");
        cache.Set("b", "v");
        _time.Advance(TimeSpan.FromSeconds(2));

        cache.Set("c", "v");

        Assert.Equal(1, cache.Analytics().Evictions.Expired);
        Assert.Equal(0, cache.Analytics().Evictions.Capacity);
        Assert.NotNull(cache.Get("a"));
        Assert.NotNull(cache.Get("b"));
    }

    [Fact]
    public void RandomWalk_KeepsEveryInvariantOfTheCache()
    {
        for (var seed = 0; seed < 50; seed++)
        {
            var random = new Random(seed);
            var maxSize = random.Next(1, 12);
            using var cache = NewCache(maxSize);
            var lastSet = new Dictionary<string, (string Value, DateTimeOffset ExpiresAt)>();
            for (var step = 0; step < 400; step++)
            {
                var key = $"k{random.Next(20)}";
                var context = $"seed {seed}, step {step}, key {key}";
                switch (random.Next(7))
                {
                    case 0:
                    case 1:
                        var value = $"v{step}";
                        var ttl = TimeSpan.FromSeconds(random.Next(1, 30));
                        cache.Set(key, value, ttl);
                        lastSet[key] = (value, _time.GetUtcNow() + ttl);
                        Assert.True(cache.Get(key) == value, $"newest entry missing: {context}");
                        break;
                    case 2:
                    case 3:
                        var read = cache.Get(key);
                        if (read is not null)
                        {
                            Assert.True(lastSet.TryGetValue(key, out var expected) && expected.Value == read && expected.ExpiresAt > _time.GetUtcNow(), $"wrong or expired value: {context}");
                        }

                        break;
                    case 4:
                        cache.Invalidate(key);
                        lastSet.Remove(key);
                        Assert.Null(cache.Get(key));
                        break;
                    case 5:
                        _time.Advance(TimeSpan.FromSeconds(random.Next(0, 5)));
                        break;
                    default:
                        if (random.Next(20) == 0)
                        {
                            cache.Clear();
                            lastSet.Clear();
                            Assert.Equal(0, cache.Count);
                        }

                        break;
                }

                Assert.True(cache.Count <= maxSize, $"over capacity: {context}");
            }
        }
    }

    [Fact]
    public async Task ManyThreads_MixedOperations_KeepSizeAndValuesConsistent()
    {
        using var cache = NewCache(maxSize: 200);
        var reads = 0L;
        var workers = Enumerable.Range(0, 8).Select(worker => Task.Run(() =>
        {
            var random = new Random(worker);
            for (var i = 0; i < 20_000; i++)
            {
                var key = $"k{(int)Math.Pow(random.NextDouble(), 3) * 2000}";
                if (random.Next(10) == 0)
                {
                    cache.Set(key, $"{key}={worker}.{i}");
                }
                else
                {
                    Interlocked.Increment(ref reads);
                    var value = cache.Get(key);
                    Assert.True(value is null || value.StartsWith(key + "=", StringComparison.Ordinal), $"{key} read {value}");
                }
            }
        })).ToArray();

        await Task.WhenAll(workers);

        var stats = cache.Analytics();
        Assert.True(cache.Count <= 200);
        Assert.Equal(reads, stats.Hits + stats.Misses);
    }

    private static double Replay(int[] trace, int capacity, EvictionPolicy policy)
    {
        using var cache = new DialogueCache(new DialogueCacheOptions { MaxSize = capacity, EvictionPolicy = policy, TopKeysCount = 0 });
        var keys = new string[trace.Max() + 1];
        foreach (var rank in trace)
        {
            var key = keys[rank] ??= $"key{rank}";
            if (!cache.TryGet(key, out _))
            {
                cache.Set(key, "v");
            }
        }

        return cache.Analytics().HitRatio;
    }

    private DialogueCache NewCache(int maxSize, EvictionPolicy policy = EvictionPolicy.TinyLfu) =>
        new(new DialogueCacheOptions { MaxSize = maxSize, EvictionPolicy = policy }, _time);
}
