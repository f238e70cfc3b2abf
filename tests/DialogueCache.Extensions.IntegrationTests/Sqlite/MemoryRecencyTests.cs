using Dialogue.Caching.Sqlite;
using Microsoft.Extensions.Time.Testing;

namespace Dialogue.Caching.IntegrationTests.Sqlite;

/// <summary>
/// Hits served from memory never reach the store, yet they make an entry the hottest: the store asks the cache for
/// the keys used since its last flush (<see cref="IDialogueCacheStoreHost.TakeRecentlyUsedKeys"/>) and moves their
/// rows' <c>last_used</c> forward, so the trim keeps them and a warm restart loads them first.
/// </summary>
public sealed class MemoryRecencyTests : IDisposable
{
    private static readonly TimeSpan FlushInterval = TimeSpan.FromSeconds(1);
    private readonly SqliteTestFolder _folder = new();

    private string ConnectionString => SqliteTestFolder.ConnectionString(_folder.Db);

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task MemoryHits_KeyReadOnlyFromMemory_SurvivesTheTrimAndIsReloadedFirst()
    {
        var time = new FakeTimeProvider();
        await using (var first = await StoreHarness.StartAsync(ConnectionString, Options, maxSize: 10, time: time))
        {
            foreach (var key in (string[])["hot", "a", "b"])
            {
                time.Advance(TimeSpan.FromSeconds(1));
                first.Cache.Set(key, "line " + key);
            }

            await first.Store.FlushAsync(CancellationToken.None);
            for (var i = 0; i < 50; i++)
            {
                Assert.Equal("line hot", first.Cache.Get("hot"));
            }

            // The background flush tells the file; then a new row pushes the file over MaxRows.
            await first.TickFlushAsync(FlushInterval);
            first.Cache.Set("c", "line c");
            await first.Store.FlushAsync(CancellationToken.None);
            Assert.Equal(["b", "c", "hot"], RawDatabase.Rows(_folder.Db).Keys.Order(StringComparer.Ordinal));

            // Read again after the last write: the flush of the dispose records it.
            for (var i = 0; i < 10; i++)
            {
                Assert.Equal("line hot", first.Cache.Get("hot"));
            }

            var stats = first.Cache.Analytics();
            Assert.Equal((60, 0, 0), (stats.Hits, stats.StoreHits, stats.StoreMisses));
        }

        await using var second = await StoreHarness.StartAsync(ConnectionString, Options, maxSize: 1, time: time);

        Assert.Equal(1, second.Cache.Count);
        Assert.True(second.Cache.TryGet("hot", out _));
        Assert.Equal(0, second.Cache.Analytics().StoreHits);
    }

    [Fact]
    public async Task HostStop_MemoryHitsSinceTheLastFlush_ReachTheFile()
    {
        await using var harness = await StoreHarness.StartAsync(ConnectionString, Options);
        harness.Cache.Set("a", "1");
        harness.Cache.Set("b", "2");
        await harness.Store.FlushAsync(CancellationToken.None);
        var before = RawDatabase.Rows(_folder.Db);

        Assert.Equal("1", harness.Cache.Get("a"));
        await harness.Store.FlushAsync(CancellationToken.None); // what the hosted service calls when the host stops

        var after = RawDatabase.Rows(_folder.Db);
        Assert.True(before["a"].LastUsed < before["b"].LastUsed);
        Assert.True(after["a"].LastUsed > after["b"].LastUsed, "the read made a the most recently used row");
        Assert.Equal(["1", "2"], after.Values.Select(r => (string)r.Value).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task MemoryHits_KeyInvalidatedAfterItsRead_IsNotBroughtBack()
    {
        await using var harness = await StoreHarness.StartAsync(ConnectionString, Options);
        harness.Cache.Set("npc:a|1", "v");
        harness.Cache.Set("npc:b|1", "w");
        await harness.Store.FlushAsync(CancellationToken.None);
        Assert.Equal("v", harness.Cache.Get("npc:a|1"));

        harness.Cache.InvalidatePattern("npc:a|");
        await harness.TickFlushAsync(FlushInterval);

        Assert.Equal(["npc:b|1"], RawDatabase.Rows(_folder.Db).Keys);
        Assert.Empty(harness.ErrorOperations);
    }

    [Fact]
    public void TakeRecentlyUsedKeys_EntriesUsedSinceTheLastCall_LeastRecentlyUsedFirst()
    {
        using var cache = new DialogueCache(new DialogueCacheOptions(), new FakeTimeProvider());
        IDialogueCacheStoreHost host = cache;
        foreach (var key in (string[])["a", "b", "c", "d"])
        {
            cache.Set(key, key);
        }

        Assert.Empty(host.TakeRecentlyUsedKeys(10)); // written, never read: writes reach a store themselves

        cache.Get("c");
        cache.Get("a");
        cache.Get("absent");
        Assert.Equal(["b", "d", "c", "a"], host.TakeRecentlyUsedKeys(10));
        Assert.Empty(host.TakeRecentlyUsedKeys(10));

        cache.Get("b");
        cache.Get("d");
        cache.Invalidate("b");
        Assert.Equal(["d"], host.TakeRecentlyUsedKeys(10));
        cache.Get("c");
        cache.Get("a");
        Assert.Equal(["a"], host.TakeRecentlyUsedKeys(1)); // the most recently used when there are more
        Assert.Throws<ArgumentOutOfRangeException>(() => host.TakeRecentlyUsedKeys(0));
    }

    private static void Options(SqliteStoreOptions options)
    {
        options.MaxRows = 3;
        options.FlushInterval = FlushInterval;
    }
}
