using System.Buffers;
using Dialogue.Caching.Tests.Support;
using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;
using Microsoft.Extensions.Time.Testing;

namespace Dialogue.Caching.Tests.Faces;

/// <summary>
/// What the faces do beyond (or deliberately unlike) Microsoft's implementations: one keyspace with the string
/// API, copies of byte arrays, capacity by entry count with LRU and NeverRemove last, the cache's TTL for entries
/// without expiration, and shared analytics. Each deviation is listed in the README.
/// </summary>
public sealed class DialogueFaceTests : IDisposable
{
    private readonly FakeTimeProvider _time = new();
    private readonly DialogueCache _cache;

    public DialogueFaceTests()
    {
        _cache = new DialogueCache(new DialogueCacheOptions { MaxSize = 3, Ttl = TimeSpan.FromMinutes(10) }, _time);
    }

    private IMemoryCache Memory => _cache;

    private IDistributedCache Distributed => _cache;

    public void Dispose() => _cache.Dispose();

    [Fact]
    public void Keyspace_StringSetThroughStringApi_ReadsBackThroughEveryFace()
    {
        _cache.Set("k", "héllo");

        Assert.Equal("héllo"u8.ToArray(), Distributed.Get("k"));
        Assert.Equal("héllo", Memory.Get<string>("k"));
    }

    [Fact]
    public void Keyspace_BytesSetThroughDistributed_ReadBackAsTextThroughStringApi()
    {
        Distributed.SetString("k", "hi there");

        Assert.Equal("hi there", _cache.Get("k"));
    }

    [Fact]
    public void Keyspace_NonTextMemoryValue_IsInvisibleToStringAndByteFaces()
    {
        Memory.Set("k", new object());

        Assert.Null(_cache.Get("k"));
        Assert.Null(Distributed.Get("k"));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Keyspace_NonTextMemoryValue_ReadThroughStringOrByteFace_CountsAMiss(bool nullValue)
    {
        IBufferDistributedCache buffered = _cache;
        Memory.Set<object?>("k", nullValue ? null : new List<int> { 1 });
        _cache.Set("text", "t");

        Assert.False(_cache.TryGet("k", out _));
        Assert.Null(_cache.Get("k"));
        Assert.Null(Distributed.Get("k"));
        Assert.Null(await Distributed.GetAsync("k"));
        Assert.False(buffered.TryGet("k", new ArrayBufferWriter<byte>()));
        Assert.False(await buffered.TryGetAsync("k", new ArrayBufferWriter<byte>()));
        Assert.Equal("t", _cache.Get("text"));

        var stats = _cache.Analytics();
        Assert.Equal((1, 6), (stats.Hits, stats.Misses));
        Assert.Contains(new KeyFrequency("k", 6), stats.MostFrequentlyRequested);
        Assert.True(Memory.TryGetValue("k", out _));
        Assert.Equal(2, _cache.Analytics().Hits);
    }

    [Fact]
    public async Task Keyspace_NonTextMemoryValue_GetOrCreateAsync_CountsAMissAndTheFactoryReplacesIt()
    {
        Memory.Set("k", new object());
        var calls = 0;

        Assert.Equal("made", await _cache.GetOrCreateAsync("k", (_, _) =>
        {
            calls++;
            return ValueTask.FromResult("made");
        }));
        Assert.Equal("made", await _cache.GetOrCreateAsync("k", (_, _) => ValueTask.FromResult("again")));

        var stats = _cache.Analytics();
        Assert.Equal((1, 1), (stats.Hits, stats.Misses));
        Assert.Equal(1, stats.FactoryCalls);
        Assert.Equal(1, calls);
    }

    [Fact]
    public void Distributed_BytesHandedInAndOut_AreCopies()
    {
        var input = new byte[] { 1, 2, 3 };
        Distributed.Set("k", input, new DistributedCacheEntryOptions());
        input[0] = 99;

        var output = Distributed.Get("k")!;
        output[1] = 99;

        Assert.Equal([1, 2, 3], Distributed.Get("k"));
    }

    [Fact]
    public void Memory_ByteArrayValue_IsCopiedInAndOut()
    {
        var input = new byte[] { 1, 2 };
        Memory.Set("k", input);
        input[0] = 9;

        var output = Memory.Get<byte[]>("k")!;
        output[1] = 9;

        Assert.Equal([1, 2], Memory.Get<byte[]>("k"));
    }

    [Fact]
    public void BufferFace_TryGetAndSet_RoundTripAndShareTheKeyspace()
    {
        IBufferDistributedCache buffered = _cache;
        buffered.Set("k", new ReadOnlySequence<byte>([7, 8, 9]), new DistributedCacheEntryOptions());
        _cache.Set("text", "ab");

        var writer = new ArrayBufferWriter<byte>();
        Assert.True(buffered.TryGet("k", writer));
        Assert.Equal([7, 8, 9], writer.WrittenSpan.ToArray());
        writer.Clear();
        Assert.True(buffered.TryGet("text", writer));
        Assert.Equal("ab"u8.ToArray(), writer.WrittenSpan.ToArray());
        Assert.False(buffered.TryGet("missing", writer));
    }

    [Fact]
    public async Task BufferFace_Async_RoundTrips()
    {
        IBufferDistributedCache buffered = _cache;
        await buffered.SetAsync("k", new ReadOnlySequence<byte>([4]), new DistributedCacheEntryOptions());

        var writer = new ArrayBufferWriter<byte>();
        Assert.True(await buffered.TryGetAsync("k", writer));
        Assert.Equal([4], writer.WrittenSpan.ToArray());
    }

    [Fact]
    public void Memory_EntryWithoutExpiration_GetsTheCacheTtl()
    {
        Memory.Set("k", 1);

        _time.Advance(TimeSpan.FromMinutes(10));

        Assert.False(Memory.TryGetValue("k", out _));
    }

    [Fact]
    public void Memory_SlidingOnlyEntry_IsNotCappedByTheCacheTtl()
    {
        Memory.Set("k", 1, new MemoryCacheEntryOptions { SlidingExpiration = TimeSpan.FromMinutes(6) });

        for (var i = 0; i < 4; i++)
        {
            _time.Advance(TimeSpan.FromMinutes(5));
            Assert.True(Memory.TryGetValue("k", out _));
        }
    }

    [Fact]
    public void Distributed_EntryWithoutExpiration_GetsTheCacheTtl()
    {
        Distributed.Set("k", [1], new DistributedCacheEntryOptions());

        _time.Advance(TimeSpan.FromMinutes(10));

        Assert.Null(Distributed.Get("k"));
    }

    [Fact]
    public async Task Capacity_FullCache_EvictsLeastRecentlyUsedWithCapacityReason()
    {
        var evicted = new TaskCompletionSource<(object, EvictionReason)>(TaskCreationOptions.RunContinuationsAsynchronously);
        Memory.Set("a", 1, new MemoryCacheEntryOptions().RegisterPostEvictionCallback((key, _, reason, _) => evicted.TrySetResult((key, reason))));
        Memory.Set("b", 2);
        Memory.Set(3, 3);

        Memory.Set("d", 4);

        Assert.Equal(("a", EvictionReason.Capacity), await Eventually.Within(evicted.Task, "callback"));
        Assert.Equal(3, _cache.Count);
    }

    [Fact]
    public void Capacity_NeverRemoveEntries_AreEvictedLast()
    {
        Memory.Set("pinned", 1, new MemoryCacheEntryOptions { Priority = CacheItemPriority.NeverRemove });
        Memory.Set("b", 2);
        Memory.Set("c", 3);

        Memory.Set("d", 4);
        Memory.Set("e", 5);

        Assert.True(Memory.TryGetValue("pinned", out _));
        Assert.False(Memory.TryGetValue("b", out _));
        Assert.False(Memory.TryGetValue("c", out _));
    }

    [Fact]
    public void Capacity_OnlyNeverRemoveEntries_TheOldestGoes()
    {
        var pinned = new MemoryCacheEntryOptions { Priority = CacheItemPriority.NeverRemove };
        Memory.Set("p1", 1, pinned);
        Memory.Set("p2", 2, pinned);
        Memory.Set("p3", 3, pinned);

        Memory.Set("p4", 4, pinned);

        Assert.False(Memory.TryGetValue("p1", out _));
        Assert.Equal(3, _cache.Count);
    }

    [Fact]
    public void Capacity_FullOfNeverRemoveEntries_ANewNormalEntryGoesInAndTheOldestPinnedGoes()
    {
        var pinned = new MemoryCacheEntryOptions { Priority = CacheItemPriority.NeverRemove };
        Memory.Set("p1", 1, pinned);
        Memory.Set("p2", 2, pinned);
        Memory.Set("p3", 3, pinned);

        Memory.Set("normal", 4);

        Assert.True(Memory.TryGetValue("normal", out _));
        Assert.False(Memory.TryGetValue("p1", out _));
        Assert.Equal(3, _cache.Count);
    }

    [Fact]
    public void Memory_LinkedEntries_AreNotTracked_AnInnerEntrysTokenDoesNotReachTheOuterOne()
    {
        using var microsoft = new MemoryCache(Options.Create(new MemoryCacheOptions { Clock = new FakeSystemClock(_time), TrackLinkedCacheEntries = true }));
        foreach (var memory in new IMemoryCache[] { microsoft, _cache })
        {
            using var source = new CancellationTokenSource();
            using (var outer = memory.CreateEntry("outer"))
            {
                outer.Value = 1;
                using var inner = memory.CreateEntry("inner");
                inner.Value = 2;
                inner.AddExpirationToken(new CancellationChangeToken(source.Token));
            }

            source.Cancel();

            // MemoryCache links the inner entry's token to the outer entry, which goes with it; DialogueCache does not.
            Assert.False(memory.TryGetValue("inner", out _));
            Assert.Equal(memory != microsoft, memory.TryGetValue("outer", out _));
        }
    }

    [Fact]
    public void Memory_SizeIsAcceptedAndIgnored()
    {
        Memory.Set("k", 1, new MemoryCacheEntryOptions { Size = 1_000_000 });

        Assert.True(Memory.TryGetValue("k", out _));
    }

    [Fact]
    public async Task Clear_CallsCallbacksWithRemoved()
    {
        var evicted = new TaskCompletionSource<EvictionReason>(TaskCreationOptions.RunContinuationsAsynchronously);
        Memory.Set("k", 1, new MemoryCacheEntryOptions().RegisterPostEvictionCallback((_, _, reason, _) => evicted.TrySetResult(reason)));

        _cache.Clear();

        Assert.Equal(EvictionReason.Removed, await Eventually.Within(evicted.Task, "callback"));
    }

    [Fact]
    public async Task RemoveExpired_SlidingEntryIdle_IsSweptWithExpiredCallback()
    {
        var evicted = new TaskCompletionSource<EvictionReason>(TaskCreationOptions.RunContinuationsAsynchronously);
        var options = new MemoryCacheEntryOptions { SlidingExpiration = TimeSpan.FromSeconds(5) }
            .RegisterPostEvictionCallback((_, _, reason, _) => evicted.TrySetResult(reason));
        Memory.Set("k", 1, options);
        _time.Advance(TimeSpan.FromSeconds(6));

        Assert.Equal(1, _cache.RemoveExpired());

        Assert.Equal(0, _cache.Count);
        Assert.Equal(EvictionReason.Expired, await Eventually.Within(evicted.Task, "callback"));
    }

    [Fact]
    public void InvalidatePattern_AppliesToStringKeysOnly()
    {
        Memory.Set("npc:a", 1);
        Memory.Set(("npc:a", 2), 2);

        Assert.Equal(1, _cache.InvalidatePattern("npc:"));
        Assert.True(Memory.TryGetValue(("npc:a", 2), out _));
    }

    [Fact]
    public void Analytics_FaceReads_CountAsHitsAndMisses()
    {
        Memory.Set("a", 1);
        Distributed.Set("b", [1], new DistributedCacheEntryOptions());

        Memory.TryGetValue("a", out _);
        Memory.TryGetValue(7, out _);
        Distributed.Get("b");
        Distributed.Get("zzz");
        Distributed.Refresh("b");

        var stats = _cache.Analytics();
        Assert.Equal(2, stats.Hits);
        Assert.Equal(2, stats.Misses);
        Assert.Equal(["a", "b", "zzz"], stats.MostFrequentlyRequested.Select(k => k.Key).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Memory_StringKeyTextValue_ReachesTheStore_ObjectValueRemovesTheStoredCopy()
    {
        var store = new RecordingStore();
        using var cache = new DialogueCache(new DialogueCacheOptions(), store, _time);
        IMemoryCache memory = cache;

        memory.Set("text", "v");
        memory.Set("object", new object());
        memory.Set(5, "int key");

        Assert.Equal(["set text", "remove object"], store.Calls);
    }

    [Fact]
    public void Memory_ObjectValueReplacesStoredText_OlderTextDoesNotComeBackAfterEviction()
    {
        var store = new RecordingStore();
        using var cache = new DialogueCache(new DialogueCacheOptions { MaxSize = 1 }, store, _time);
        IMemoryCache memory = cache;
        cache.Set("k", "older text");

        memory.Set("k", new object());
        cache.Set("other", "evicts k from memory");

        Assert.Null(cache.Get("k"));
        Assert.False(store.Entries.ContainsKey("k"));
    }

    [Fact]
    public async Task EmptyKey_ThroughMemoryAndDistributedFaces_StaysInMemoryAndNeverReachesTheStore()
    {
        // The platform's caches take "" as a key (the conformance suites); stores refuse it. Before, every such call
        // reached the store and was counted as a store error.
        var store = new RecordingStore();
        using var cache = new DialogueCache(new DialogueCacheOptions(), store, _time);
        IMemoryCache memory = cache;
        IDistributedCache distributed = cache;
        IBufferDistributedCache buffered = cache;

        distributed.Set("", [1], new DistributedCacheEntryOptions { SlidingExpiration = TimeSpan.FromMinutes(1) });
        Assert.Equal([1], distributed.Get(""));
        Assert.Equal([1], await distributed.GetAsync(""));
        Assert.True(buffered.TryGet("", new ArrayBufferWriter<byte>()));
        distributed.Refresh("");
        distributed.Remove("");
        Assert.Null(distributed.Get(""));
        Assert.False(await buffered.TryGetAsync("", new ArrayBufferWriter<byte>()));
        buffered.Set("", new ReadOnlySequence<byte>([2]), new DistributedCacheEntryOptions());
        await distributed.RemoveAsync("");
        memory.Set("", "text");
        Assert.True(memory.TryGetValue("", out _));
        memory.Set("", new object());
        memory.Remove("");
        Assert.False(memory.TryGetValue("", out _));

        Assert.Empty(store.Calls);
        Assert.Equal(0, cache.Analytics().StoreErrors);
    }

    [Fact]
    public async Task Distributed_RefreshOfAnEntryHeldOnlyInTheStore_DoesNothing_TheStoredCopyKeepsItsDeadline()
    {
        var store = new RecordingStore();
        using var cache = new DialogueCache(new DialogueCacheOptions(), store, _time);
        IDistributedCache distributed = cache;
        IDialogueCacheStoreHost host = cache;
        distributed.Set("k", [1], new DistributedCacheEntryOptions { SlidingExpiration = TimeSpan.FromSeconds(30) });
        var deadline = store.Entries["k"].ExpiresAt;
        host.EvictLocal("k");   // memory let it go (capacity, another server's write): the sliding window went with it
        _time.Advance(TimeSpan.FromSeconds(10));
        var calls = store.Calls.Count;

        distributed.Refresh("k");
        await distributed.RefreshAsync("k");

        Assert.Equal(calls, store.Calls.Count);
        Assert.Equal(deadline, store.Entries["k"].ExpiresAt);
        Assert.Equal(0, cache.Analytics().Hits + cache.Analytics().Misses);
        _time.Advance(TimeSpan.FromSeconds(20));
        Assert.Null(distributed.Get("k"));
    }

    [Fact]
    public void Distributed_Sliding_StoreGetsTheEndOfTheWindow()
    {
        var store = new RecordingStore();
        using var cache = new DialogueCache(new DialogueCacheOptions(), store, _time);
        IDistributedCache distributed = cache;

        distributed.Set("k", [1], new DistributedCacheEntryOptions { SlidingExpiration = TimeSpan.FromSeconds(30) });
        Assert.Equal(_time.GetUtcNow().AddSeconds(30), store.Entries["k"].ExpiresAt);
        _time.Advance(TimeSpan.FromSeconds(10));
        distributed.Refresh("k");

        Assert.Equal(_time.GetUtcNow().AddSeconds(30), store.Entries["k"].ExpiresAt);
        Assert.Equal([1], (byte[])store.Entries["k"].Value);
    }
}
