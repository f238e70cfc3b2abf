using Microsoft.Extensions.Time.Testing;

namespace Dialogue.Caching.Tests;

public sealed class DialogueCacheTests
{
    private readonly FakeTimeProvider _time = new();

    [Fact]
    public async Task ReadmeExample_RunsAsWritten()
    {
        var prewarmFile = Path.Combine(Path.GetTempPath(), $"prewarm-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(prewarmFile, """{"prompt:user:thanks": "You're welcome!"}""");
        try
        {
            var cache = new DialogueCache(new DialogueCacheOptions { MaxSize = 500, Ttl = TimeSpan.FromMinutes(5) });
            cache.Set("prompt:user:hello", "Hi there!");
            string? response = cache.Get("prompt:user:hello");
            Assert.Equal("Hi there!", response);
            Assert.True(cache.Invalidate("prompt:user:hello"));
            cache.Set("prompt:user:hello", "Hi there!");
            Assert.Equal(1, cache.InvalidatePattern("prompt:user:"));
            Assert.Equal(1, cache.Prewarm(new Dictionary<string, string> { ["prompt:user:bye"] = "Goodbye!" }));
            Assert.Equal(1, await cache.PrewarmFromFileAsync(prewarmFile));
            DialogueCacheAnalytics stats = cache.Analytics();

            Assert.Equal(1, stats.Hits);
            Assert.Equal(0, stats.Misses);
            Assert.Equal(1.0, stats.HitRatio);
            Assert.Equal([new KeyFrequency("prompt:user:hello", 1)], stats.MostFrequentlyRequested);
            Assert.Equal(2, stats.CurrentSize);
            Assert.Equal(500, stats.MaxSize);
            Assert.Equal(TimeSpan.FromMinutes(5), stats.Ttl);
            Assert.Equal("Goodbye!", cache.Get("prompt:user:bye"));
            Assert.Equal("You're welcome!", cache.Get("prompt:user:thanks"));
        }
        finally
        {
            File.Delete(prewarmFile);
        }
    }

    [Fact]
    public void Constructor_Default_UsesDocumentedDefaults()
    {
        var cache = new DialogueCache();

        var stats = cache.Analytics();
        Assert.Equal(1000, stats.MaxSize);
        Assert.Equal(TimeSpan.FromSeconds(600), stats.Ttl);
        Assert.Equal("default", cache.Name);
    }

    [Fact]
    public void Constructor_OptionsChangedAfterwards_KeepsOriginalValues()
    {
        var options = new DialogueCacheOptions { MaxSize = 2 };
        var cache = new DialogueCache(options);

        options.MaxSize = 1;
        cache.Set("a", "1");
        cache.Set("b", "2");

        Assert.Equal(2, cache.Count);
    }

    [Fact]
    public void Get_MissingKey_ReturnsNullAndCountsMiss()
    {
        var cache = NewCache();

        Assert.Null(cache.Get("nope"));
        Assert.False(cache.TryGet("nope", out var value));
        Assert.Null(value);

        var stats = cache.Analytics();
        Assert.Equal(0, stats.Hits);
        Assert.Equal(2, stats.Misses);
        Assert.Equal(0.0, stats.HitRatio);
    }

    [Fact]
    public void Set_ExistingKey_ReplacesValueAndResetsTtl()
    {
        var cache = NewCache(ttl: TimeSpan.FromSeconds(10));
        cache.Set("k", "old");
        _time.Advance(TimeSpan.FromSeconds(8));

        cache.Set("k", "new");
        _time.Advance(TimeSpan.FromSeconds(8));

        Assert.Equal("new", cache.Get("k"));
        Assert.Equal(1, cache.Count);
    }

    [Fact]
    public void Get_AfterTtl_ReturnsNullAndCountsMissAndExpiry()
    {
        var cache = NewCache(ttl: TimeSpan.FromSeconds(10));
        cache.Set("k", "v");

        _time.Advance(TimeSpan.FromSeconds(9.999));
        Assert.Equal("v", cache.Get("k"));
        _time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Null(cache.Get("k"));

        var stats = cache.Analytics();
        Assert.Equal(1, stats.Hits);
        Assert.Equal(1, stats.Misses);
        Assert.Equal(0, stats.CurrentSize);
        Assert.Equal(1, stats.Evictions.Expired);
    }

    [Fact]
    public void Set_PerEntryTtl_OverridesDefault()
    {
        var cache = NewCache(ttl: TimeSpan.FromSeconds(10));
        cache.Set("short", "v", TimeSpan.FromSeconds(1));
        cache.Set("long", "v", TimeSpan.FromHours(1));

        _time.Advance(TimeSpan.FromSeconds(2));
        Assert.Null(cache.Get("short"));
        _time.Advance(TimeSpan.FromMinutes(30));
        Assert.Equal("v", cache.Get("long"));
    }

    [Fact]
    public void Set_HugeTtl_DoesNotOverflow()
    {
        var cache = NewCache();
        cache.Set("k", "v", TimeSpan.MaxValue);

        _time.Advance(TimeSpan.FromDays(10_000));

        Assert.Equal("v", cache.Get("k"));
    }

    [Fact]
    public void Set_BeyondMaxSize_EvictsLeastRecentlyUsed()
    {
        var cache = NewCache(maxSize: 3);
        cache.Set("a", "1");
        cache.Set("b", "2");
        cache.Set("c", "3");
        Assert.Equal("1", cache.Get("a")); // a is now the most recently used; b the least

        cache.Set("d", "4");

        Assert.Null(cache.Get("b"));
        Assert.Equal("1", cache.Get("a"));
        Assert.Equal("3", cache.Get("c"));
        Assert.Equal("4", cache.Get("d"));
        Assert.Equal(3, cache.Count);
        Assert.Equal(1, cache.Analytics().Evictions.Capacity);
    }

    [Fact]
    public void Set_ReplacingKey_MakesItMostRecentlyUsed()
    {
        var cache = NewCache(maxSize: 2);
        cache.Set("a", "1");
        cache.Set("b", "2");
        cache.Set("a", "1b");

        cache.Set("c", "3");

        Assert.Equal("1b", cache.Get("a"));
        Assert.Null(cache.Get("b"));
    }

    [Fact]
    public void Set_FullCacheWithExpiredEntry_EvictsExpiredBeforeLeastRecentlyUsed()
    {
        var cache = NewCache(maxSize: 3, ttl: TimeSpan.FromMinutes(10));
        cache.Set("lru", "1");
        cache.Set("short", "2", TimeSpan.FromSeconds(1));
        cache.Set("mru", "3");
        _time.Advance(TimeSpan.FromSeconds(2));

        cache.Set("new", "4");

        Assert.Equal("1", cache.Get("lru"));
        Assert.Equal("3", cache.Get("mru"));
        Assert.Equal("4", cache.Get("new"));
        var evictions = cache.Analytics().Evictions;
        Assert.Equal(1, evictions.Expired);
        Assert.Equal(0, evictions.Capacity);
    }

    [Fact]
    public void Set_MaxSizeOne_KeepsNewestOnly()
    {
        var cache = NewCache(maxSize: 1);
        cache.Set("a", "1");
        cache.Set("b", "2");

        Assert.Null(cache.Get("a"));
        Assert.Equal("2", cache.Get("b"));
    }

    [Fact]
    public void Invalidate_RemovesOnlyThatKey()
    {
        var cache = NewCache();
        cache.Set("a", "1");
        cache.Set("b", "2");

        Assert.True(cache.Invalidate("a"));
        Assert.False(cache.Invalidate("a"));

        Assert.Null(cache.Get("a"));
        Assert.Equal("2", cache.Get("b"));
        Assert.Equal(1, cache.Analytics().Evictions.Removed);
    }

    [Fact]
    public void InvalidatePattern_RemovesKeysContainingPatternOrdinally()
    {
        var cache = NewCache();
        cache.Set("npc:blacksmith|forge|t:hello", "1");
        cache.Set("npc:blacksmith|market|t:price", "2");
        cache.Set("npc:Blacksmith|forge|t:hello", "3");
        cache.Set("npc:baker|forge|t:hello", "4");

        var removed = cache.InvalidatePattern("npc:blacksmith");

        Assert.Equal(2, removed);
        Assert.Null(cache.Get("npc:blacksmith|forge|t:hello"));
        Assert.Null(cache.Get("npc:blacksmith|market|t:price"));
        Assert.Equal("3", cache.Get("npc:Blacksmith|forge|t:hello"));
        Assert.Equal("4", cache.Get("npc:baker|forge|t:hello"));
        Assert.Equal(2, cache.Analytics().Evictions.Removed);
    }

    [Fact]
    public void InvalidatePattern_NoMatch_ReturnsZero()
    {
        var cache = NewCache();
        cache.Set("a", "1");

        Assert.Equal(0, cache.InvalidatePattern("zzz"));
        Assert.Equal(1, cache.Count);
    }

    [Fact]
    public void InvalidatePattern_MatchesMiddleAndEndOfKey()
    {
        var cache = NewCache();
        cache.Set("x-forge-y", "1");
        cache.Set("y-forge", "2");
        cache.Set("forge", "3");

        Assert.Equal(3, cache.InvalidatePattern("forge"));
    }

    [Fact]
    public void Clear_RemovesEverythingAndResetsAnalytics()
    {
        var cache = NewCache();
        cache.Set("a", "1");
        cache.Set("b", "2");
        cache.Get("a");
        cache.Get("zzz");

        cache.Clear();

        var stats = cache.Analytics();
        Assert.Equal(0, stats.CurrentSize);
        Assert.Equal(0, stats.Hits);
        Assert.Equal(0, stats.Misses);
        Assert.Empty(stats.MostFrequentlyRequested);
        Assert.Equal(new DialogueCacheEvictions(0, 0, 0, 2), stats.Evictions);
        Assert.Null(cache.Get("a"));
    }

    [Fact]
    public void Clear_ThenUse_WorksNormally()
    {
        var cache = NewCache(maxSize: 2);
        cache.Set("a", "1");
        cache.Get("a");
        cache.Clear();

        cache.Set("b", "2");
        cache.Set("c", "3");
        cache.Set("d", "4");

        Assert.Null(cache.Get("b"));
        Assert.Equal("3", cache.Get("c"));
        Assert.Equal(2, cache.Count);
    }

    [Fact]
    public void Analytics_TopKeys_CountsHitsAndMissesMostFrequentFirst()
    {
        var cache = NewCache();
        cache.Set("hot", "1");
        cache.Set("warm", "2");
        for (var i = 0; i < 5; i++)
        {
            cache.Get("hot");
        }

        cache.Get("warm");
        cache.Get("warm");
        cache.Get("cold-miss");
        cache.Get("cold-miss");
        cache.Get("cold-miss");

        var top = cache.Analytics().MostFrequentlyRequested;

        Assert.Equal([new KeyFrequency("hot", 5), new KeyFrequency("cold-miss", 3), new KeyFrequency("warm", 2)], top);
    }

    [Fact]
    public void Analytics_TopKeys_LimitedToTopKeysCount()
    {
        var cache = new DialogueCache(new DialogueCacheOptions { TopKeysCount = 3 }, _time);
        for (var key = 0; key < 10; key++)
        {
            for (var read = 0; read <= key; read++)
            {
                cache.Get($"k{key}");
            }
        }

        var top = cache.Analytics().MostFrequentlyRequested;

        Assert.Equal(["k9", "k8", "k7"], top.Select(k => k.Key));
        Assert.Equal([10L, 9L, 8L], top.Select(k => k.Count));
    }

    [Fact]
    public void Analytics_TopKeysCountZero_ReportsNoKeys()
    {
        var cache = new DialogueCache(new DialogueCacheOptions { TopKeysCount = 0 }, _time);
        cache.Get("a");

        Assert.Empty(cache.Analytics().MostFrequentlyRequested);
        Assert.Equal(1, cache.Analytics().Misses);
    }

    [Fact]
    public void Analytics_SetPrewarmAndInvalidate_CountNoRequests()
    {
        var cache = NewCache();
        cache.Set("a", "1");
        cache.Prewarm([new("b", "2")]);
        cache.Invalidate("a");
        cache.InvalidatePattern("b");

        var stats = cache.Analytics();
        Assert.Equal(0, stats.Hits + stats.Misses);
        Assert.Empty(stats.MostFrequentlyRequested);
    }

    [Fact]
    public void Analytics_HitRatio_IsFractionOfReads()
    {
        var cache = NewCache();
        cache.Set("a", "1");
        cache.Get("a");
        cache.Get("a");
        cache.Get("a");
        cache.Get("b");

        Assert.Equal(0.75, cache.Analytics().HitRatio, 10);
    }

    [Fact]
    public void RemoveExpired_RemovesOnlyExpiredEntries()
    {
        var cache = NewCache(maxSize: 5000, ttl: TimeSpan.FromSeconds(10));
        for (var i = 0; i < 3000; i++)
        {
            cache.Set($"short{i}", "v", TimeSpan.FromSeconds(1));
        }

        cache.Set("long", "v");
        _time.Advance(TimeSpan.FromSeconds(5));

        Assert.Equal(3000, cache.RemoveExpired());
        Assert.Equal(1, cache.Count);
        Assert.Equal(3000, cache.Analytics().Evictions.Expired);
        Assert.Equal(0, cache.RemoveExpired());
    }

    private DialogueCache NewCache(int maxSize = 1000, TimeSpan? ttl = null) =>
        new(new DialogueCacheOptions { MaxSize = maxSize, Ttl = ttl ?? TimeSpan.FromMinutes(10) }, _time);
}
