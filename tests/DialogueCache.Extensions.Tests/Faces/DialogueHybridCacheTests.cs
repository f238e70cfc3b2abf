using System.Diagnostics.Metrics;
using System.Text;
using System.Text.Json;
using Dialogue.Caching.Hybrid;
using Dialogue.Caching.Tests.Support;
using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Caching.Hybrid;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Dialogue.Caching.Tests.Faces;

/// <summary>
/// What DialogueCache's HybridCache face does beyond (or deliberately unlike) Microsoft's default HybridCache; each
/// deviation is listed in the README. The shared behaviour is in <see cref="HybridCacheConformanceTests"/>.
/// </summary>
public sealed class DialogueHybridCacheTests : IDisposable
{
    private readonly FakeTimeProvider _time = new();
    private readonly RecordingStore _store = new();
    private readonly ServiceProvider _services = new ServiceCollection().AddMetrics().BuildServiceProvider();
    private readonly List<IDisposable> _disposables = [];
    private readonly DialogueCache _cache;
    private readonly HybridCache _hybrid;

    public DialogueHybridCacheTests()
    {
        (_cache, _hybrid) = Create(_store);
    }

    public void Dispose()
    {
        _disposables.ForEach(d => d.Dispose());
        _services.Dispose();
    }

    [Fact]
    public async Task GetOrCreateAsync_NullKeyOrFactory_ThrowsArgumentNullException()
    {
        var key = await Assert.ThrowsAsync<ArgumentNullException>(async () => await _hybrid.GetOrCreateAsync(null!, _ => ValueTask.FromResult("v")));
        var factory = await Assert.ThrowsAsync<ArgumentNullException>(async () =>
            await _hybrid.GetOrCreateAsync("k", "state", (Func<string, CancellationToken, ValueTask<string>>)null!));

        Assert.Equal("key", key.ParamName);
        Assert.Equal("factory", factory.ParamName);
        Assert.Equal(0, _cache.Analytics().Misses);
    }

    [Fact]
    public async Task SetAsync_NullKey_ThrowsArgumentNullException()
    {
        var error = await Assert.ThrowsAsync<ArgumentNullException>(async () => await _hybrid.SetAsync(null!, "v"));

        Assert.Equal("key", error.ParamName);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public async Task SetAsync_NonPositiveExpiration_ThrowsAndKeepsThePriorValue(int seconds)
    {
        await _hybrid.SetAsync("k", "prior");

        var expiration = await Assert.ThrowsAsync<ArgumentOutOfRangeException>(async () =>
            await _hybrid.SetAsync("k", "v", new HybridCacheEntryOptions { Expiration = TimeSpan.FromSeconds(seconds) }));
        var local = await Assert.ThrowsAsync<ArgumentOutOfRangeException>(async () =>
            await _hybrid.SetAsync("k", "v", new HybridCacheEntryOptions { LocalCacheExpiration = TimeSpan.FromSeconds(seconds) }));

        Assert.Equal("options", expiration.ParamName);
        Assert.Contains("Expiration", expiration.Message, StringComparison.Ordinal);
        Assert.Contains("LocalCacheExpiration", local.Message, StringComparison.Ordinal);
        Assert.Equal("prior", await _hybrid.GetOrCreateAsync("k", _ => ValueTask.FromResult("fresh")));
    }

    [Fact]
    public async Task GetOrCreateAsync_NonPositiveExpiration_ThrowsBeforeTheFactoryRuns()
    {
        var calls = 0;

        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(async () => await _hybrid.GetOrCreateAsync("k",
            _ => ValueTask.FromResult(++calls), new HybridCacheEntryOptions { Expiration = TimeSpan.Zero }));

        Assert.Equal(0, calls);
    }

    [Fact]
    public async Task Expiration_NoneAtAnyLevel_IsTheCacheTtl()
    {
        await _hybrid.SetAsync("k", "v");

        _time.Advance(_cache.Ttl - TimeSpan.FromSeconds(1));
        Assert.Equal("v", await _hybrid.GetOrCreateAsync("k", _ => ValueTask.FromResult("fresh")));
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal("fresh", await _hybrid.GetOrCreateAsync("k", _ => ValueTask.FromResult("fresh")));
    }

    [Fact]
    public async Task Payload_OverMaximumPayloadBytes_IsReturnedButNotCachedAndLogged()
    {
        using var logs = new FakeLoggerProvider();
        using var loggerFactory = LoggerFactory.Create(b => b.AddProvider(logs));
        var store = new RecordingStore();
        var (_, hybrid) = Create(store, new DialogueHybridCacheOptions { MaximumPayloadBytes = 16 }, loggerFactory: loggerFactory);
        await hybrid.SetAsync("set", "short");
        var calls = 0;

        await hybrid.SetAsync("set", new string('a', 17));
        var first = await hybrid.GetOrCreateAsync("made", _ => ValueTask.FromResult(new string('b', 17 + ++calls)));
        var second = await hybrid.GetOrCreateAsync("made", _ => ValueTask.FromResult(new string('b', 17 + ++calls)));

        Assert.Equal(18, first.Length);
        Assert.Equal(19, second.Length);
        Assert.Equal("fresh", await hybrid.GetOrCreateAsync("set", _ => ValueTask.FromResult("fresh")));
        Assert.DoesNotContain("made", store.Entries.Keys);
        var warning = logs.Collector.GetSnapshot().First(r => r.Id.Id == 102);
        Assert.Equal(LogLevel.Warning, warning.Level);
        Assert.DoesNotContain("aaaa", warning.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task KeyItCannotCache_IsLoggedAtDebugWithoutTheKey()
    {
        using var logs = new FakeLoggerProvider();
        using var loggerFactory = LoggerFactory.Create(b => b.AddProvider(logs).SetMinimumLevel(LogLevel.Trace));
        var (cache, hybrid) = Create(store: null, loggerFactory: loggerFactory);

        await hybrid.GetOrCreateAsync("secret prompt\u0001", _ => ValueTask.FromResult("v"));

        var record = Assert.Single(logs.Collector.GetSnapshot(), r => r.Id.Id == 101);
        Assert.Equal(LogLevel.Debug, record.Level);
        Assert.DoesNotContain("secret", record.Message, StringComparison.Ordinal);
        Assert.Equal(0, cache.Analytics().Misses + cache.Analytics().Hits);
    }

    [Fact]
    public async Task RemoveByTagAsync_SameClockTick_EntryWrittenBeforeIsStaleAndEntryWrittenAfterIsKept()
    {
        await _hybrid.SetAsync("before", "1", tags: ["npc"]);
        await _hybrid.RemoveByTagAsync("npc");
        await _hybrid.SetAsync("after", "2", tags: ["npc"]);
        await _hybrid.RemoveByTagAsync("*");
        await _hybrid.SetAsync("last", "3");

        Assert.Equal("fresh", await _hybrid.GetOrCreateAsync("before", _ => ValueTask.FromResult("fresh")));
        Assert.Equal("fresh", await _hybrid.GetOrCreateAsync("after", _ => ValueTask.FromResult("fresh")));
        Assert.Equal("3", await _hybrid.GetOrCreateAsync("last", _ => ValueTask.FromResult("fresh")));
    }

    [Fact]
    public async Task Analytics_ReadsCountAsHitsAndMissesWithFactoryAndStoreFigures()
    {
        await _hybrid.GetOrCreateAsync("k", _ => ValueTask.FromResult("v"));      // miss, factory call
        await _hybrid.GetOrCreateAsync("k", _ => ValueTask.FromResult("x"));      // memory hit
        await _hybrid.SetAsync("s", "v", new HybridCacheEntryOptions { Flags = HybridCacheEntryFlags.DisableLocalCacheWrite });
        await _hybrid.GetOrCreateAsync("s", _ => ValueTask.FromResult("x"));      // store hit
        await _hybrid.RemoveByTagAsync("*");
        await _hybrid.GetOrCreateAsync("k", _ => ValueTask.FromResult("v2"));     // invalidated: a miss

        var stats = _cache.Analytics();
        Assert.Equal(2, stats.Hits);
        Assert.Equal(2, stats.Misses);
        Assert.Equal(1, stats.StoreHits);
        Assert.Equal(2, stats.FactoryCalls);
        Assert.Contains(stats.MostFrequentlyRequested, k => k is { Key: "k", Count: 3 });
    }

    [Fact]
    public async Task Metrics_RequestsAndCoalescedCallers_AreReportedOnTheCacheMeter()
    {
        using var requests = new MetricCollector<long>(_services.GetRequiredService<IMeterFactory>(), DialogueCache.MeterName, "cache.requests");
        using var coalesced = new MetricCollector<long>(_services.GetRequiredService<IMeterFactory>(), DialogueCache.MeterName, "dialogue.generation.coalesced");
        var release = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        var callers = Enumerable.Range(0, 3).Select(_ => _hybrid.GetOrCreateAsync("k", async _ => await release.Task).AsTask()).ToList();
        release.SetResult("v");
        await Task.WhenAll(callers);
        await _hybrid.GetOrCreateAsync("k", _ => ValueTask.FromResult("x"));

        var byType = requests.GetMeasurementSnapshot().GroupBy(m => (string)m.Tags["cache.request.type"]!).ToDictionary(g => g.Key, g => g.Sum(m => m.Value));
        Assert.Equal(3, byType["miss"]);
        Assert.Equal(1, byType["hit"]);
        Assert.Equal(2, coalesced.GetMeasurementSnapshot().Sum(m => m.Value));
    }

    [Fact]
    public async Task Store_GetsTheFramedPayloadWithItsTags_AndAnotherCacheOverItReadsIt()
    {
        await _hybrid.SetAsync("k", new Reply { Text = "Hail", Turn = 2 }, tags: ["npc"]);
        var stored = Assert.IsType<byte[]>(_store.Entries["k"].Value);
        var (other, otherHybrid) = Create(_store, attach: false);

        var read = await otherHybrid.GetOrCreateAsync("k", _ => ValueTask.FromResult(new Reply()));

        Assert.Equal("DCH"u8.ToArray(), stored[..3]);
        Assert.Equal(["npc"], HybridPayload.Decode(stored)!.Tags);
        Assert.Equal(("Hail", 2), (read.Text, read.Turn));
        Assert.Equal(1, other.Analytics().StoreHits);
    }

    [Fact]
    public async Task RemoveByTagAsync_AnotherProcessSharingTheStore_DoesNotHearOfIt()
    {
        await _hybrid.SetAsync("k", "v", tags: ["npc"]);
        var (_, otherHybrid) = Create(_store, attach: false);

        await _hybrid.RemoveByTagAsync("npc");

        Assert.Equal("fresh", await _hybrid.GetOrCreateAsync("k", _ => ValueTask.FromResult("fresh"), new HybridCacheEntryOptions { Flags = HybridCacheEntryFlags.DisableLocalCacheWrite }));
        Assert.Equal("fresh", await otherHybrid.GetOrCreateAsync("k", _ => ValueTask.FromResult("other")));
    }

    [Fact]
    public async Task StoreHit_MemoryCopyLivesAtMostLocalCacheExpiration()
    {
        await _hybrid.SetAsync("k", "v", new HybridCacheEntryOptions { Flags = HybridCacheEntryFlags.DisableLocalCacheWrite });
        var local = new HybridCacheEntryOptions { LocalCacheExpiration = TimeSpan.FromSeconds(10) };
        Assert.Equal("v", await _hybrid.GetOrCreateAsync("k", _ => ValueTask.FromResult("fresh"), local));
        _store.Entries.Clear();

        _time.Advance(TimeSpan.FromSeconds(9));
        Assert.Equal("v", await _hybrid.GetOrCreateAsync("k", _ => ValueTask.FromResult("fresh")));
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal("fresh", await _hybrid.GetOrCreateAsync("k", _ => ValueTask.FromResult("fresh")));
    }

    [Fact]
    public async Task ValueOfAnotherFace_UnderTheKey_IsAMissAndTheFactoryValueReplacesIt()
    {
        _cache.Set("k", "set through the string API");

        var value = await _hybrid.GetOrCreateAsync("k", _ => ValueTask.FromResult("from the factory"));

        Assert.Equal("from the factory", value);
        Assert.Equal("from the factory", await _hybrid.GetOrCreateAsync("k", _ => ValueTask.FromResult("again")));
    }

    [Fact]
    public async Task ValueReadAsAnotherType_ThatDoesNotParse_IsAMissAndTheFactoryRuns()
    {
        await _hybrid.SetAsync("k", "not json");

        Assert.Equal(42, await _hybrid.GetOrCreateAsync("k", _ => ValueTask.FromResult(42)));
        Assert.Equal(42, await _hybrid.GetOrCreateAsync("k", _ => ValueTask.FromResult(7)));
    }

    [Fact]
    public async Task ConcurrentCallers_WithDifferentFlags_ShareOneFactoryCall()
    {
        var calls = 0;
        var release = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        async ValueTask<string> Factory(CancellationToken _)
        {
            Interlocked.Increment(ref calls);
            return await release.Task;
        }

        var plain = _hybrid.GetOrCreateAsync("k", Factory).AsTask();
        var localOff = _hybrid.GetOrCreateAsync("k", Factory, new HybridCacheEntryOptions { Flags = HybridCacheEntryFlags.DisableLocalCacheWrite }).AsTask();
        release.SetResult("v");

        Assert.Equal(["v", "v"], await Task.WhenAll(plain, localOff));
        Assert.Equal(1, calls);
    }

    [Fact]
    public async Task Serializers_RegisteredSerializerBeatsFactories_AndTheLastFactoryWins()
    {
        var services = new ServiceCollection();
        services.AddSingleton<IHybridCacheSerializerFactory>(new TaggedSerializerFactory("first factory"));
        services.AddSingleton<IHybridCacheSerializerFactory>(new TaggedSerializerFactory("last factory"));
        using var provider = services.BuildServiceProvider();
        var (_, byFactory) = Create(new RecordingStore(), services: provider);
        services.AddSingleton<IHybridCacheSerializer<Tagged>>(new TaggedSerializer("registered"));
        using var withSerializer = services.BuildServiceProvider();
        var (_, bySerializer) = Create(new RecordingStore(), services: withSerializer);
        var localOff = new HybridCacheEntryOptions { Flags = HybridCacheEntryFlags.DisableLocalCacheRead };

        await byFactory.SetAsync("k", new Tagged { Name = "a" });
        await bySerializer.SetAsync("k", new Tagged { Name = "b" });

        Assert.Equal("last factory", (await byFactory.GetOrCreateAsync("k", _ => ValueTask.FromResult(new Tagged()), localOff)).Via);
        Assert.Equal("registered", (await bySerializer.GetOrCreateAsync("k", _ => ValueTask.FromResult(new Tagged()), localOff)).Via);
    }

    [Fact]
    public async Task Serializers_JsonOptionsRegisteredForHybridCache_AreUsed()
    {
        var services = new ServiceCollection();
        services.AddKeyedSingleton<JsonSerializerOptions>(typeof(IHybridCacheSerializer<>), new JsonSerializerOptions { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower });
        using var provider = services.BuildServiceProvider();
        var store = new RecordingStore();
        var (_, hybrid) = Create(store, services: provider);

        await hybrid.SetAsync("k", new Reply { Text = "Hail", Turn = 1 });

        var bytes = (byte[])store.Entries["k"].Value;
        Assert.Contains("\"text\":\"Hail\"", Encoding.UTF8.GetString(bytes), StringComparison.Ordinal);
    }

    [Fact]
    public async Task SetAsync_DisableLocalCacheWrite_WithStore_OlderMemoryCopyIsDroppedAndTheStoredValueServed()
    {
        var noLocalWrite = new HybridCacheEntryOptions { Flags = HybridCacheEntryFlags.DisableLocalCacheWrite };
        var microsoft = MicrosoftHybrid();
        foreach (var hybrid in new[] { microsoft, _hybrid })
        {
            await hybrid.SetAsync("k", "older");
            await hybrid.SetAsync("k", "newer", noLocalWrite);
        }

        // The platform keeps serving its older L1 copy; this face reads the newer value from the store.
        Assert.Equal("older", await microsoft.GetOrCreateAsync("k", _ => ValueTask.FromResult("factory")));
        Assert.Equal("newer", await _hybrid.GetOrCreateAsync("k", _ => ValueTask.FromResult("factory")));
        Assert.Equal(1, _cache.Analytics().StoreHits);
    }

    [Fact]
    public async Task SetAsync_DisableLocalCacheWrite_WithoutStore_OlderMemoryCopyIsDropped()
    {
        var (cache, hybrid) = Create(store: null);
        await hybrid.SetAsync("k", "older");

        await hybrid.SetAsync("k", "newer", new HybridCacheEntryOptions { Flags = HybridCacheEntryFlags.DisableLocalCacheWrite });

        Assert.Equal(0, cache.Count);
        Assert.Equal("factory", await hybrid.GetOrCreateAsync("k", _ => ValueTask.FromResult("factory")));
    }

    [Fact]
    public async Task LocalCacheExpiration_LongerThanTheDefaultExpiration_IsCappedByIt()
    {
        var defaults = new HybridCacheEntryOptions { Expiration = TimeSpan.FromSeconds(10) };
        var microsoft = MicrosoftHybrid(defaults);
        var (_, dialogue) = Create(new RecordingStore(), new DialogueHybridCacheOptions { DefaultEntryOptions = defaults });
        var longLocal = new HybridCacheEntryOptions { LocalCacheExpiration = TimeSpan.FromMinutes(5) };
        var storeReadOff = new HybridCacheEntryOptions { Flags = HybridCacheEntryFlags.DisableDistributedCacheRead };
        foreach (var hybrid in new[] { microsoft, dialogue })
        {
            await hybrid.SetAsync("k", "v", longLocal);
        }

        _time.Advance(TimeSpan.FromSeconds(10));

        // Memory only (the store is not read): the platform's copy outlives the entry's 10 s, this face's does not.
        Assert.Equal("v", await microsoft.GetOrCreateAsync("k", _ => ValueTask.FromResult("factory"), storeReadOff));
        Assert.Equal("factory", await dialogue.GetOrCreateAsync("k", _ => ValueTask.FromResult("factory"), storeReadOff));
    }

    [Fact]
    public async Task NullString_ComingBackFromTheStore_ReadsAsNull()
    {
        var noLocalWrite = new HybridCacheEntryOptions { Flags = HybridCacheEntryFlags.DisableLocalCacheWrite };
        var microsoft = MicrosoftHybrid();
        foreach (var hybrid in new[] { microsoft, _hybrid })
        {
            await hybrid.SetAsync<string?>("k", null, noLocalWrite);
        }

        Assert.Equal("", await microsoft.GetOrCreateAsync<string?>("k", _ => ValueTask.FromResult<string?>("factory"), noLocalWrite));
        Assert.Null(await _hybrid.GetOrCreateAsync<string?>("k", _ => ValueTask.FromResult<string?>("factory"), noLocalWrite));
        Assert.Equal(1, _cache.Analytics().StoreHits);
    }

    [Fact]
    public async Task AsHybridCache_BareServiceCollection_ResolvesOneSingletonOverTheCache()
    {
        var services = new ServiceCollection();
        var builder = services.AddDialogueCache().AsHybridCache(o => o.MaximumKeyLength = 8);
        using var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });

        var hybrid = provider.GetRequiredService<HybridCache>();
        await hybrid.SetAsync("k", "v");
        await hybrid.GetOrCreateAsync("k", _ => ValueTask.FromResult("fresh"));

        Assert.Same(services, builder.Services);
        Assert.Same(hybrid, provider.GetRequiredService<HybridCache>());
        Assert.Same(hybrid, provider.GetRequiredKeyedService<HybridCache>("default"));
        Assert.Same(provider.GetRequiredService<DialogueCache>(), Assert.IsType<DialogueHybridCache>(hybrid).Cache);
        Assert.Equal(1, provider.GetRequiredService<DialogueCache>().Analytics().Hits);
        Assert.Equal(2, await hybrid.GetOrCreateAsync("123456789", _ => ValueTask.FromResult(2)));
        Assert.Equal(3, await hybrid.GetOrCreateAsync("123456789", _ => ValueTask.FromResult(3)));
    }

    [Fact]
    public void AsHybridCache_HybridCacheRegisteredFirst_IsNotReplaced()
    {
        var services = new ServiceCollection();
        services.AddHybridCache();
        services.AddDialogueCache().AsHybridCache();
        using var provider = services.BuildServiceProvider();

        Assert.IsNotType<DialogueHybridCache>(provider.GetRequiredService<HybridCache>());
        Assert.IsType<DialogueHybridCache>(provider.GetRequiredKeyedService<HybridCache>("default"));
    }

    [Fact]
    public async Task AsHybridCache_NamedCache_IsKeyedByItsNameAndUsesThatCache()
    {
        var services = new ServiceCollection();
        services.AddDialogueCache().AsHybridCache();
        services.AddDialogueCache("npc", o => o.MaxSize = 10).AsHybridCache();
        using var provider = services.BuildServiceProvider();

        await provider.GetRequiredKeyedService<HybridCache>("npc").SetAsync("k", "v");

        Assert.Same(provider.GetRequiredKeyedService<HybridCache>("default"), provider.GetRequiredService<HybridCache>());
        Assert.Equal(1, provider.GetRequiredKeyedService<DialogueCache>("npc").Count);
        Assert.Equal(0, provider.GetRequiredService<DialogueCache>().Count);
    }

    [Fact]
    public async Task AsHybridCache_BadOptions_FailTheHostStartNamingTheOption()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddDialogueCache().AsHybridCache(o => o.MaximumPayloadBytes = 0);
        using var host = builder.Build();

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains("MaximumPayloadBytes", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_BadOptions_ThrowArgumentExceptionNamingEach()
    {
        using var cache = new DialogueCache(new DialogueCacheOptions(), _time);
        var options = new DialogueHybridCacheOptions
        {
            MaximumKeyLength = 0,
            DefaultEntryOptions = new HybridCacheEntryOptions { Expiration = TimeSpan.Zero },
        };

        var error = Assert.Throws<ArgumentException>(() => new DialogueHybridCache(cache, options));

        Assert.Contains("MaximumKeyLength", error.Message, StringComparison.Ordinal);
        Assert.Contains("DefaultEntryOptions.Expiration", error.Message, StringComparison.Ordinal);
    }

    // Microsoft's default HybridCache, as in the conformance suite: MemoryCache as L1, a distributed cache as L2, on the fake clock.
    private HybridCache MicrosoftHybrid(HybridCacheEntryOptions? defaults = null)
    {
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(_time);
        services.AddMemoryCache(o => o.Clock = new FakeSystemClock(_time));
        services.AddSingleton<IDistributedCache>(new PassThroughDistributedCache(
            new MemoryDistributedCache(Options.Create(new MemoryDistributedCacheOptions { Clock = new FakeSystemClock(_time) }))));
        services.AddHybridCache(o => o.DefaultEntryOptions = defaults);
        var provider = services.BuildServiceProvider();
        _disposables.Add(provider);
        return provider.GetRequiredService<HybridCache>();
    }

    private (DialogueCache Cache, HybridCache Hybrid) Create(IDialogueCacheStore? store, DialogueHybridCacheOptions? options = null,
        IServiceProvider? services = null, ILoggerFactory? loggerFactory = null, bool attach = true)
    {
        // A RecordingStore accepts one cache; a second cache over the same entries gets a view of them.
        var tier = store is RecordingStore recording && !attach ? new SharedEntriesStore(recording) : store;
        var cache = new DialogueCache(Options.Create(new DialogueCacheOptions()), _time, loggerFactory,
            _services.GetRequiredService<IMeterFactory>(), tier);
        _disposables.Add(cache);
        return (cache, new DialogueHybridCache(cache, options ?? new DialogueHybridCacheOptions(), services, loggerFactory));
    }
}
