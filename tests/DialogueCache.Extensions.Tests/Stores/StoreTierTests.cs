using Dialogue.Caching.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;

namespace Dialogue.Caching.Tests.Stores;

/// <summary>The cache's side of the second tier: reads on a memory miss, writes and invalidations passed on.</summary>
public sealed class StoreTierTests : IDisposable
{
    private readonly FakeTimeProvider _time = new();
    private readonly RecordingStore _store = new();
    private readonly DialogueCache _cache;

    public StoreTierTests()
    {
        _cache = new DialogueCache(new DialogueCacheOptions { MaxSize = 3, Ttl = TimeSpan.FromMinutes(10) }, _store, _time);
    }

    public void Dispose() => _cache.Dispose();

    [Fact]
    public void Constructor_AttachesCacheAsHost()
    {
        Assert.Same(_cache, _store.Host);
        Assert.Equal("default", _store.Host!.CacheName);
        Assert.Equal(3, _store.Host.MaxSize);
        Assert.Same(_time, _store.Host.TimeProvider);
    }

    [Fact]
    public void Get_MemoryMissStoreHit_FillsMemoryWithRemainingTtlAndCountsHit()
    {
        _store.Entries["k"] = new("k", "from store", _time.GetUtcNow().AddSeconds(30));

        Assert.Equal("from store", _cache.Get("k"));
        Assert.Equal("from store", _cache.Get("k"));

        Assert.Single(_store.Calls, "get k");
        var stats = _cache.Analytics();
        Assert.Equal(2, stats.Hits);
        Assert.Equal(1, stats.StoreHits);
        Assert.Equal(0, stats.Misses);
        _time.Advance(TimeSpan.FromSeconds(31));
        _store.Entries.Clear();
        Assert.Null(_cache.Get("k"));
    }

    [Fact]
    public void Get_StoreEntryIsBytes_ReturnsUtf8Text()
    {
        _store.Entries["k"] = new("k", "héllo"u8.ToArray(), _time.GetUtcNow().AddMinutes(1));

        Assert.Equal("héllo", _cache.Get("k"));
        Assert.Equal("héllo", _cache.Get("k"));
    }

    [Fact]
    public void Get_StoreMissOrExpired_CountsMissAndStoreMiss()
    {
        _store.Entries["old"] = new("old", "v", _time.GetUtcNow());

        Assert.Null(_cache.Get("absent"));
        Assert.Null(_cache.Get("old"));

        var stats = _cache.Analytics();
        Assert.Equal(2, stats.Misses);
        Assert.Equal(2, stats.StoreMisses);
        Assert.Equal(0, stats.Hits);
    }

    [Fact]
    public void WritesAndInvalidations_ReachTheStore()
    {
        _cache.Set("npc:a|x|t:1", "1", TimeSpan.FromSeconds(20));
        _cache.Set("npc:b|x|t:2", "2");

        Assert.Equal(_time.GetUtcNow().AddSeconds(20), _store.Entries["npc:a|x|t:1"].ExpiresAt);
        _cache.Invalidate("npc:a|x|t:1");
        _cache.InvalidatePattern("npc:b");
        _cache.Set("c", "3");
        _cache.Clear();

        Assert.Equal(["set npc:a|x|t:1", "set npc:b|x|t:2", "remove npc:a|x|t:1", "removecontaining npc:b", "set c", "clear"], _store.Calls);
        Assert.Empty(_store.Entries);
    }

    [Fact]
    public void Invalidate_KeyHeldOnlyInTheStore_ReturnsFalseAndStillRemovesItFromTheStore()
    {
        _store.Entries["only stored"] = new("only stored", "v", _time.GetUtcNow().AddMinutes(1));
        _cache.Set("in memory", "v");

        Assert.False(_cache.Invalidate("only stored"));
        Assert.True(_cache.Invalidate("in memory"));

        Assert.Empty(_store.Entries);
        Assert.Null(_cache.Get("only stored"));
    }

    [Fact]
    public void InvalidatePattern_CountsMemoryEntriesAndStillRemovesStoredOnesFromTheStore()
    {
        _store.Entries["npc:a|1"] = new("npc:a|1", "v", _time.GetUtcNow().AddMinutes(1));
        _store.Entries["npc:a|2"] = new("npc:a|2", "v", _time.GetUtcNow().AddMinutes(1));
        _cache.Set("npc:a|3", "v");

        Assert.Equal(1, _cache.InvalidatePattern("npc:a|"));

        Assert.Empty(_store.Entries);
        Assert.Null(_cache.Get("npc:a|1"));
    }

    [Fact]
    public void Prewarm_StaysInMemory()
    {
        _cache.Prewarm([new("k", "v")]);

        Assert.Empty(_store.Calls);
    }

    [Fact]
    public async Task GetOrCreateAsync_StoreHit_SkipsFactory()
    {
        _store.Entries["k"] = new("k", "stored", _time.GetUtcNow().AddMinutes(1));

        var value = await _cache.GetOrCreateAsync("k", (_, _) => throw new InvalidOperationException("must not run"));

        Assert.Equal("stored", value);
        Assert.Equal(1, _cache.Analytics().Hits);
        Assert.Equal(1, _cache.Analytics().StoreHits);
    }

    [Fact]
    public async Task GetOrCreateAsync_StoreMiss_CallsFactoryAndWritesBothTiers()
    {
        var value = await _cache.GetOrCreateAsync("k", (_, _) => ValueTask.FromResult("made"), TimeSpan.FromSeconds(40));

        Assert.Equal("made", value);
        Assert.Equal(["getasync k", "set k"], _store.Calls);
        Assert.Equal(_time.GetUtcNow().AddSeconds(40), _store.Entries["k"].ExpiresAt);
        Assert.Equal(1, _cache.Analytics().Misses);
    }

    [Fact]
    public async Task FailingStore_CallersNeverSeeItAndErrorsAreCounted()
    {
        var failing = new FailingStore();
        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var meterFactory = services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>();
        using var errors = new MetricCollector<long>(meterFactory, DialogueCache.MeterName, "cache.store.errors");
        using var cache = new DialogueCache(new DialogueCacheOptions(), failing, _time, meterFactory: meterFactory);

        cache.Set("k", "v");
        Assert.Equal("v", cache.Get("k"));
        Assert.Null(cache.Get("other"));
        Assert.Equal("made", await cache.GetOrCreateAsync("new", (_, _) => ValueTask.FromResult("made")));
        Assert.True(cache.Invalidate("k"));

        Assert.Equal(5, cache.Analytics().StoreErrors);
        Assert.Equal(["set", "get", "get", "set", "remove"], errors.GetMeasurementSnapshot().Select(m => (string)m.Tags["operation"]!));
    }

    [Fact]
    public void Host_EvictLocal_DropsMemoryCopiesWithoutTouchingStoreOrAnalytics()
    {
        var host = (IDialogueCacheStoreHost)_cache;
        _cache.Set("a:1", "1");
        _cache.Set("a:2", "2");
        _cache.Set("b", "3");
        _cache.Get("b");
        _store.Calls.Clear();

        Assert.True(host.EvictLocal("b"));
        Assert.Equal(2, host.EvictLocalContaining("a:"));
        _cache.Set("c", "4");
        host.EvictAllLocal();

        Assert.Equal(["set c"], _store.Calls);
        Assert.Equal(0, _cache.Count);
        Assert.Equal(1, _cache.Analytics().Hits);
        Assert.Equal(4, _cache.Analytics().Evictions.Removed);
    }

    [Fact]
    public void Host_Load_SkipsExpiredKeepsLastMaxSizeAndWritesNothingBack()
    {
        var now = _time.GetUtcNow();
        var entries = new DialogueCacheStoreEntry[]
        {
            new("expired", "x", now),
            new("a", "1", now.AddMinutes(1)),
            new("b", "2", now.AddMinutes(1)),
            new("c", "3", now.AddMinutes(1)),
            new("d", "4", now.AddSeconds(5)),
        };

        Assert.Equal(3, ((IDialogueCacheStoreHost)_cache).Load(entries));

        Assert.Empty(_store.Calls);
        Assert.Equal(3, _cache.Count);
        Assert.Equal("4", _cache.Get("d"));
        _time.Advance(TimeSpan.FromSeconds(6));
        Assert.Null(_cache.Get("d"));
        Assert.Equal("3", _cache.Get("c"));
    }

    [Fact]
    public async Task HostedService_StartsStoreBeforePrewarmAndFlushesOnStop()
    {
        var store = new RecordingStore();
        store.LoadOnStart.Add(new("restored", "r", DateTimeOffset.MaxValue));
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Services.AddKeyedSingleton<IDialogueCacheStore>("default", store);
        builder.Services.AddDialogueCache();
        using var host = builder.Build();

        await host.StartAsync();
        Assert.Equal("r", host.Services.GetRequiredService<IDialogueCache>().Get("restored"));
        await host.StopAsync();

        Assert.Equal("start", store.Calls.First());
        Assert.Equal("flush", store.Calls.Last());
    }

    [Fact]
    public void RecordSavings_AddsToAnalyticsAndResetsOnClear()
    {
        _cache.RecordSavings(100, 40, TimeSpan.FromMilliseconds(400));
        _cache.RecordSavings(10, 4, TimeSpan.FromMilliseconds(100));

        var stats = _cache.Analytics();
        Assert.Equal(110, stats.InputTokensSaved);
        Assert.Equal(44, stats.OutputTokensSaved);
        Assert.Equal(TimeSpan.FromMilliseconds(500), stats.LatencySaved);
        _cache.Clear();
        Assert.Equal(0, _cache.Analytics().InputTokensSaved);
    }

    [Fact]
    public void RecordSavings_Negative_ThrowsNamingArgument()
    {
        Assert.Equal("inputTokens", Assert.Throws<ArgumentOutOfRangeException>(() => _cache.RecordSavings(-1, 0, TimeSpan.Zero)).ParamName);
        Assert.Equal("outputTokens", Assert.Throws<ArgumentOutOfRangeException>(() => _cache.RecordSavings(0, -1, TimeSpan.Zero)).ParamName);
        Assert.Equal("latency", Assert.Throws<ArgumentOutOfRangeException>(() => _cache.RecordSavings(0, 0, TimeSpan.FromTicks(-1))).ParamName);
    }

    /// <summary>A store whose every operation throws, as a broken disk or network would.</summary>
    private sealed class FailingStore : IDialogueCacheStore
    {
        public void Attach(IDialogueCacheStoreHost host)
        {
        }

        public Task StartAsync(CancellationToken cancellationToken) => throw new IOException("disk gone");

        public DialogueCacheStoreEntry? Get(string key) => throw new IOException("disk gone");

        public ValueTask<DialogueCacheStoreEntry?> GetAsync(string key, CancellationToken cancellationToken) => throw new IOException("disk gone");

        public void Set(DialogueCacheStoreEntry entry) => throw new IOException("disk gone");

        public void Remove(string key) => throw new IOException("disk gone");

        public void RemoveContaining(string pattern) => throw new IOException("disk gone");

        public void Clear() => throw new IOException("disk gone");

        public Task FlushAsync(CancellationToken cancellationToken) => throw new IOException("disk gone");
    }
}
