using System.Text;
using System.Text.RegularExpressions;
using Dialogue.Caching.IntegrationTests.Redis.Support;
using Dialogue.Caching.Redis;
using Dialogue.Caching.Redis.Internal;
using Microsoft.Extensions.Time.Testing;

namespace Dialogue.Caching.IntegrationTests.Redis;

/// <summary>
/// The Redis tier against a real Redis-protocol server: shared second tier, backplane between nodes (each node
/// a host of its own), pattern invalidation and clear in Redis, isolation and what is written. Runs against
/// Garnet (<see cref="GarnetRedisStoreTests"/>) and the redis-server of <c>DIALOGUECACHE_REDIS</c>
/// (<see cref="RedisServerRedisStoreTests"/>). Every test works under a key prefix of its own.
/// </summary>
public abstract class RedisStoreTests
{
    private readonly IRedisTestServer _server;
    private readonly string _prefix = $"dct{Guid.NewGuid():N}:";

    protected RedisStoreTests(IRedisTestServer server)
    {
        _server = server;
    }

    [SkippableFact]
    public async Task Get_KeySetOnAnotherNode_ReadsRedisOnceThenServesFromMemory()
    {
        await using var a = await NodeAsync();
        await using var b = await NodeAsync();

        a.Cache.Set("npc:smith|forge|t:hello", "Welcome, traveller.");
        await b.CaughtUpWithAsync(a);

        Assert.Equal(("Welcome, traveller.", true), b.Read("npc:smith|forge|t:hello"));
        Assert.Equal(("Welcome, traveller.", false), b.Read("npc:smith|forge|t:hello"));
        var stats = b.Cache.Analytics();
        Assert.Equal(1, stats.StoreHits);
        Assert.Equal(2, stats.Hits);
        Assert.Equal(0, stats.Misses);
        Assert.Equal([("hit", 1L)], b.StoreRequests);
        Assert.Empty(a.StoreRequests);
    }

    [SkippableFact]
    public async Task Get_AbsentEverywhere_CountsStoreMissAndMiss()
    {
        await using var a = await NodeAsync();

        Assert.Equal((null, true), a.Read("nobody-set-this"));

        Assert.Equal(1, a.Cache.Analytics().StoreMisses);
        Assert.Equal(1, a.Cache.Analytics().Misses);
        Assert.Equal([("miss", 1L)], a.StoreRequests);
        Assert.Empty(a.StoreErrors);
    }

    [SkippableFact]
    public async Task Get_FromRedis_FillsMemoryWithTheRemainingRedisTtl()
    {
        var clockA = new FakeTimeProvider();
        var clockB = new FakeTimeProvider();
        await using var a = await NodeAsync(time: clockA);
        await using var b = await NodeAsync(time: clockB);
        await using var raw = await RawRedis.ConnectAsync(_server.Configuration);

        a.Cache.Set("k", "v", TimeSpan.FromMinutes(10));
        await b.CaughtUpWithAsync(a);
        var pttl = await raw.Database.KeyTimeToLiveAsync(Keyspace().KeyFor("k"));
        Assert.InRange(pttl!.Value, TimeSpan.FromMinutes(9.9), TimeSpan.FromMinutes(10));

        Assert.Equal(("v", true), b.Read("k"));
        clockB.Advance(TimeSpan.FromMinutes(9.5));
        Assert.Equal(("v", false), b.Read("k"));

        // Past the TTL Redis reported, the memory copy is gone: the next read asks Redis again.
        clockB.Advance(TimeSpan.FromMinutes(0.6));
        Assert.True(b.Read("k").FromStore);
    }

    [SkippableFact]
    public async Task GetOrCreateAsync_ValueMadeOnAnotherNode_SkipsTheFactory()
    {
        await using var a = await NodeAsync();
        await using var b = await NodeAsync();
        var calls = 0;

        var made = await a.Cache.GetOrCreateAsync("q", (_, _) => { calls++; return ValueTask.FromResult("answer"); });
        await a.FlushAsync();
        var shared = await b.Cache.GetOrCreateAsync("q", (_, _) => throw new InvalidOperationException("the model must not be called"));

        Assert.Equal("answer", made);
        Assert.Equal("answer", shared);
        Assert.Equal(1, calls);
        Assert.Equal(1, b.Cache.Analytics().StoreHits);
        Assert.Equal([("hit", 1L)], b.StoreRequests);
        Assert.Equal([("miss", 1L)], a.StoreRequests);
    }

    [SkippableFact]
    public async Task Set_WritesOneHashedPrefixedKeyWithNativeTtlAndNoPromptText()
    {
        await using var a = await NodeAsync();
        await using var raw = await RawRedis.ConnectAsync(_server.Configuration);
        const string Key = "npc:oracle|cave|t:my password is hunter2";

        a.Cache.Set(Key, "a secret answer", TimeSpan.FromMinutes(5));
        await a.FlushAsync();

        var keys = await raw.KeysAsync(_prefix);
        var key = Assert.Single(keys);
        Assert.Matches("^" + Regex.Escape(_prefix + "default:") + "[A-Za-z0-9_-]{43}$", key);
        Assert.DoesNotContain("hunter2", key, StringComparison.Ordinal);
        Assert.InRange((await raw.Database.KeyTimeToLiveAsync(key))!.Value, TimeSpan.FromMinutes(4.9), TimeSpan.FromMinutes(5));
        var bytes = (byte[])(await raw.Database.StringGetAsync(key))!;
        Assert.Equal((byte)'s', bytes[0]);
        Assert.EndsWith(Key + "a secret answer", Encoding.UTF8.GetString(bytes), StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task Backplane_Messages_CarryTheKeyOrPatternInClearButNeverTheValue()
    {
        await using var a = await NodeAsync();
        await using var raw = await RawRedis.ConnectAsync(_server.Configuration);
        var messages = await raw.SubscribeAsync(Keyspace().ChannelName);
        const string Key = "npc:oracle|cave|t:my card number is 4111";
        const string Value = "the oracle's private answer";

        a.Cache.Set(Key, Value);
        a.Cache.Invalidate(Key);
        a.Cache.InvalidatePattern("npc:oracle|");
        await a.FlushAsync();

        // README "Security": the set and the removal name the key, the pattern invalidation (sent before and after
        // its scan) names the pattern; a value never travels on the backplane.
        await Eventually.AssertAsync(() => messages.Count >= 4, "the four messages arrive");
        var texts = messages.Select(m => Encoding.UTF8.GetString(m)).ToList();
        Assert.Equal(2, texts.Count(t => t.EndsWith(Key, StringComparison.Ordinal)));
        Assert.Equal(2, texts.Count(t => t.EndsWith("npc:oracle|", StringComparison.Ordinal)));
        Assert.All(texts, t => Assert.DoesNotContain(Value, t, StringComparison.Ordinal));
    }

    [SkippableFact]
    public async Task StoreSet_ByteArrayAndString_KeepTheirKind()
    {
        await using var a = await NodeAsync();
        await using var b = await NodeAsync();
        var expires = DateTimeOffset.UtcNow.AddMinutes(1);
        byte[] payload = [0, 1, 2, 255, 0];

        a.Store.Set(new DialogueCacheStoreEntry("bin", payload, expires));
        a.Store.Set(new DialogueCacheStoreEntry("text", "héllo", expires));
        await a.FlushAsync();

        Assert.Equal(payload, Assert.IsType<byte[]>(b.Store.Get("bin")!.Value.Value));
        Assert.Equal("héllo", Assert.IsType<string>((await b.Store.GetAsync("text", CancellationToken.None))!.Value.Value));
        Assert.InRange(b.Store.Get("bin")!.Value.ExpiresAt, expires.AddSeconds(-5), expires.AddSeconds(1));
        Assert.Equal("héllo", b.Cache.Get("text"));
    }

    [SkippableFact]
    public async Task Set_OnOneNode_DropsTheStaleCopiesOfTwoOtherNodes()
    {
        await using var a = await NodeAsync();
        await using var b = await NodeAsync();
        await using var c = await NodeAsync();
        a.Cache.Set("k", "v1");
        await a.FlushAsync();
        Assert.Equal("v1", b.Cache.Get("k"));
        Assert.Equal("v1", c.Cache.Get("k"));

        a.Cache.Set("k", "v2");

        await Eventually.AssertAsync(() => b.Cache.Get("k") == "v2" && c.Cache.Get("k") == "v2", "both other nodes read v2");
        Assert.Empty(a.StoreErrors);
    }

    [SkippableFact]
    public async Task Set_OwnBackplaneMessage_IsIgnored()
    {
        await using var a = await NodeAsync();
        await using var b = await NodeAsync();
        a.Cache.Set("k", "v1");
        await a.FlushAsync();
        Assert.Equal("v1", b.Cache.Get("k"));

        a.Cache.Set("k", "v2");
        await Eventually.AssertAsync(() => b.Cache.Get("k") == "v2", "the other node heard of the write");

        // The message reached every subscriber, the writer included: its own copy must have survived it.
        Assert.Equal(("v2", false), a.Read("k"));
    }

    [SkippableFact]
    public async Task Invalidate_OnOneNode_RemovesTheKeyFromRedisAndEveryMemoryTier()
    {
        await using var a = await NodeAsync();
        await using var b = await NodeAsync();
        await using var c = await NodeAsync();
        a.Cache.Set("k", "v");
        a.Cache.Set("other", "o");
        await b.CaughtUpWithAsync(a);
        await c.CaughtUpWithAsync(a);
        Assert.Equal("v", b.Cache.Get("k"));
        Assert.Equal("v", c.Cache.Get("k"));
        Assert.Equal("o", c.Cache.Get("other"));

        Assert.True(b.Cache.Invalidate("k"));

        await Eventually.AssertAsync(() => a.Cache.Get("k") is null && c.Cache.Get("k") is null, "no node serves the invalidated key");
        Assert.Equal(("o", false), c.Read("other"));
    }

    [SkippableFact]
    public async Task InvalidatePattern_OnOneNode_DropsMatchingEntriesEverywhereAndKeepsTheRest()
    {
        await using var a = await NodeAsync();
        await using var b = await NodeAsync();
        string[] smith = ["npc:smith|forge|t:hello", "npc:smith|forge|t:price", "npc:smith|town|t:bye"];
        string[] baker = ["npc:baker|shop|t:hello", "npc:baker|shop|t:bread"];
        foreach (var key in smith.Concat(baker))
        {
            a.Cache.Set(key, "line for " + key);
        }

        await b.CaughtUpWithAsync(a);
        Assert.All(smith.Concat(baker), key => Assert.NotNull(b.Cache.Get(key)));

        a.Cache.InvalidatePattern("npc:smith|");

        await Eventually.AssertAsync(() => smith.All(key => b.Cache.Get(key) is null), "the other node drops the smith's lines");
        Assert.All(baker, key => Assert.Equal(("line for " + key, false), b.Read(key)));
        await using var fresh = await NodeAsync();
        Assert.All(smith, key => Assert.Null(fresh.Store.Get(key)));
        Assert.All(baker, key => Assert.NotNull(fresh.Store.Get(key)));
    }

    [SkippableFact]
    public async Task InvalidatePattern_MatchesOrdinalSubstringsOfOriginalKeysOnly()
    {
        await using var a = await NodeAsync();
        var longMatch = new string('x', 700) + "needle" + new string('y', 50);
        var longOther = new string('x', 700) + "hay";
        string[] keys = ["Case:Upper", "case:lower", "star*key", "plain?key", "ключ:юникод", longMatch, longOther];
        foreach (var key in keys)
        {
            a.Cache.Set(key, "v");
        }

        await a.FlushAsync();

        a.Cache.InvalidatePattern("*");
        a.Cache.InvalidatePattern("?");
        a.Cache.InvalidatePattern("case:");
        a.Cache.InvalidatePattern("needle");
        a.Cache.InvalidatePattern("юникод");

        string[] gone = ["star*key", "plain?key", "case:lower", longMatch, "ключ:юникод"];
        Assert.All(gone, key => Assert.Null(a.Store.Get(key)));
        Assert.All(keys.Except(gone), key => Assert.NotNull(a.Store.Get(key)));
        Assert.Empty(a.StoreErrors);
    }

    [SkippableFact]
    public async Task InvalidatePattern_ManyKeysInSmallScanBatches_RemovesEveryMatchAndNothingElse()
    {
        await using var a = await NodeAsync(o => o.ScanBatchSize = 7);
        await using var raw = await RawRedis.ConnectAsync(_server.Configuration);
        for (var i = 0; i < 150; i++)
        {
            a.Cache.Set(i % 2 == 0 ? $"even:{i}" : $"odd:{i}", "v");
        }

        await a.FlushAsync();

        a.Cache.InvalidatePattern("even:");

        Assert.Equal(75, (await raw.KeysAsync(_prefix)).Count);
        Assert.All(Enumerable.Range(0, 150), i => Assert.Equal(i % 2 != 0, a.Store.Get(i % 2 == 0 ? $"even:{i}" : $"odd:{i}") is not null));
    }

    [SkippableFact]
    public async Task Clear_OnOneNode_EmptiesRedisAndEveryMemoryTierOfThisCacheOnly()
    {
        var otherPrefix = _prefix + "other:";
        await using var a = await NodeAsync(o => o.ScanBatchSize = 10);
        await using var b = await NodeAsync();
        await using var neighbour = await NodeAsync(o => o.KeyPrefix = otherPrefix);
        await using var raw = await RawRedis.ConnectAsync(_server.Configuration);
        for (var i = 0; i < 40; i++)
        {
            a.Cache.Set($"k{i}", "v");
        }

        neighbour.Cache.Set("k0", "neighbour's");
        await a.FlushAsync();
        await neighbour.FlushAsync();
        for (var i = 0; i < 40; i++)
        {
            Assert.NotNull(b.Cache.Get($"k{i}"));
        }

        a.Cache.Clear();

        await Eventually.AssertAsync(() => b.Cache.Count == 0, "the other node's memory tier is empty");
        Assert.DoesNotContain(await raw.KeysAsync(_prefix + "default:"), k => !k.StartsWith(otherPrefix, StringComparison.Ordinal));
        await using var neighbourTwin = await NodeAsync(o => o.KeyPrefix = otherPrefix);
        Assert.Equal("neighbour's", neighbourTwin.Cache.Get("k0"));
        Assert.Equal(("neighbour's", false), neighbour.Read("k0"));
    }

    [SkippableFact]
    public async Task KeyPrefix_CachesOnOneServerWithDifferentPrefixes_NeverSeeEachOther()
    {
        await using var a = await NodeAsync();
        await using var b = await NodeAsync(o => o.KeyPrefix = _prefix + "b:");
        a.Cache.Set("k", "a's");
        await a.FlushAsync();

        Assert.Null(b.Cache.Get("k"));
        b.Cache.Set("k", "b's");
        b.Cache.InvalidatePattern("k");
        b.Cache.Set("k", "b's again");
        await b.FlushAsync();

        // No message crossed over: a's copy was neither dropped nor replaced.
        Assert.Equal(("a's", false), a.Read("k"));
        await using var aTwin = await NodeAsync();
        Assert.Equal("a's", aTwin.Cache.Get("k"));
    }

    [SkippableFact]
    public async Task CacheName_CachesSharingAPrefix_AreIsolatedEvenWhenOneNameStartsTheOther()
    {
        await using var a = await NodeAsync(cacheName: "a");
        await using var ab = await NodeAsync(cacheName: "a:b");
        a.Cache.Set("k", "a's");
        ab.Cache.Set("k", "ab's");
        await a.FlushAsync();
        await ab.FlushAsync();

        a.Cache.Clear();

        await using var abTwin = await NodeAsync(cacheName: "a:b");
        Assert.Equal("ab's", abTwin.Cache.Get("k"));
        Assert.Null(a.Store.Get("k"));
    }

    [SkippableFact]
    public async Task InvalidatePatternAndClear_UseScanAndUnlinkNeverKeys()
    {
        await using var a = await NodeAsync(o => o.ScanBatchSize = 5);
        await using var raw = await RawRedis.ConnectAsync(_server.Configuration);
        Skip.If(await raw.CommandCallsAsync() is null, $"{_server.Kind} reports no INFO commandstats.");
        for (var i = 0; i < 20; i++)
        {
            a.Cache.Set($"k{i}", "v");
        }

        await a.FlushAsync();
        var before = (await raw.CommandCallsAsync())!;

        a.Cache.InvalidatePattern("k1");
        a.Cache.Clear();

        var after = (await raw.CommandCallsAsync())!;
        Assert.Equal(before.GetValueOrDefault("keys"), after.GetValueOrDefault("keys"));
        Assert.True(after.GetValueOrDefault("scan") >= before.GetValueOrDefault("scan") + 2, "SCAN was used");
        Assert.True(after.GetValueOrDefault("unlink") > before.GetValueOrDefault("unlink"), "UNLINK was used");
    }

    [SkippableFact]
    public async Task Get_ValueUnderOurKeyNotWrittenByUs_IsAMissAndAReportedError()
    {
        await using var a = await NodeAsync();
        await using var raw = await RawRedis.ConnectAsync(_server.Configuration);
        await raw.Database.StringSetAsync(Keyspace().KeyFor("k"), "not our format", TimeSpan.FromMinutes(1));

        Assert.Null(a.Cache.Get("k"));

        Assert.Equal("get", Assert.Single(a.StoreErrors).Tags["operation"]);
    }

    [SkippableFact]
    public async Task Backplane_ForeignMessage_IsReportedAndIgnored()
    {
        await using var a = await NodeAsync();
        await using var b = await NodeAsync();
        await using var raw = await RawRedis.ConnectAsync(_server.Configuration);
        a.Cache.Set("k", "v1");
        await a.FlushAsync();
        Assert.Equal("v1", b.Cache.Get("k"));

        await raw.PublishAsync(Keyspace().ChannelName, [9, 9, 9]);
        a.Cache.Set("k", "v2");

        await Eventually.AssertAsync(() => b.Cache.Get("k") == "v2", "the backplane still works");
        Assert.Equal("backplane", Assert.Single(b.StoreErrors).Tags["operation"]);
    }

    [SkippableFact]
    public async Task Dispose_PendingWrites_AreFlushedBeforeTheConnectionCloses()
    {
        var a = await NodeAsync();
        for (var i = 0; i < 300; i++)
        {
            a.Cache.Set($"k{i}", $"v{i}");
        }

        await a.DisposeAsync();

        await using var b = await NodeAsync();
        Assert.All(Enumerable.Range(0, 300), i => Assert.Equal($"v{i}", b.Cache.Get($"k{i}")));
    }

    [SkippableFact]
    public async Task WithoutDependencyInjection_PublicStore_SharesEntriesAndInvalidationsWithAHostNode()
    {
        await using var node = await NodeAsync();
        await using var store = new RedisDialogueCacheStore(new RedisStoreOptions { Configuration = _server.Configuration, KeyPrefix = _prefix });
        using var cache = new DialogueCache(new DialogueCacheOptions(), store);
        await store.StartAsync(CancellationToken.None);

        cache.Set("k", "from a cache made by hand");
        await store.FlushAsync(CancellationToken.None);
        Assert.Equal("from a cache made by hand", node.Cache.Get("k"));

        Assert.Equal("from a cache made by hand", cache.Get("k"));
        node.Cache.Invalidate("k");
        await Eventually.AssertAsync(() => cache.Count == 0, "the hand-made cache hears the invalidation");
        Assert.Null(cache.Get("k"));
    }

    private RedisKeyspace Keyspace(string cacheName = "default") => new(_prefix, cacheName);

    private Task<RedisTestNode> NodeAsync(Action<RedisStoreOptions>? configure = null, TimeProvider? time = null, string cacheName = "default")
    {
        Skip.If(_server.SkipReason is not null, _server.SkipReason);
        return RedisTestNode.StartAsync(_server.Configuration, _prefix, configure, time, cacheName);
    }
}
