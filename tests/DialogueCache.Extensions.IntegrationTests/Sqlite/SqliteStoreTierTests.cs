using Dialogue.Caching.Sqlite;

namespace Dialogue.Caching.IntegrationTests.Sqlite;

/// <summary>The SQLite file as the cache's second tier: reads on a memory miss, writes and invalidations reaching the file.</summary>
public sealed class SqliteStoreTierTests : IDisposable
{
    private readonly SqliteTestFolder _folder = new();

    private string ConnectionString => SqliteTestFolder.ConnectionString(_folder.Db);

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task Get_MemoryMissFileHit_FillsMemoryWithRemainingTtlAndCountsStoreHit()
    {
        await using (var writer = await StoreHarness.StartAsync(ConnectionString, WriteThrough))
        {
            writer.Cache.Set("npc:smith|forge|t:hello", "Welcome, traveller.", TimeSpan.FromSeconds(30));
        }

        await using var reader = new StoreHarness(ConnectionString, WriteThrough);
        reader.Time.Advance(TimeSpan.FromSeconds(10));

        Assert.Equal("Welcome, traveller.", reader.Cache.Get("npc:smith|forge|t:hello"));
        Assert.Equal(1, reader.Cache.Count);
        Assert.Equal(1, reader.Cache.Analytics().StoreHits);
        Assert.Equal(1, reader.Cache.Analytics().Hits);
        Assert.Equal([("hit", 1L)], reader.StoreRequests.GetMeasurementSnapshot().Select(m => ((string)m.Tags["cache.request.type"]!, m.Value)));

        reader.Time.Advance(TimeSpan.FromSeconds(20));
        Assert.Null(reader.Cache.Get("npc:smith|forge|t:hello"));
        Assert.Equal(1, reader.Cache.Analytics().StoreMisses);
        Assert.Equal([("hit", 1L), ("miss", 1L)], reader.StoreRequests.GetMeasurementSnapshot().Select(m => ((string)m.Tags["cache.request.type"]!, m.Value)));
        Assert.All(reader.StoreRequests.GetMeasurementSnapshot(), m => Assert.Equal("default", m.Tags["cache.name"]));
        Assert.Empty(reader.ErrorOperations);
    }

    [Fact]
    public async Task GetOrCreateAsync_FileHit_SkipsFactory()
    {
        await using (var writer = await StoreHarness.StartAsync(ConnectionString, WriteThrough))
        {
            writer.Cache.Set("k", "stored");
        }

        await using var reader = new StoreHarness(ConnectionString, WriteThrough);
        var value = await reader.Cache.GetOrCreateAsync("k", (_, _) => throw new InvalidOperationException("must not run"));

        Assert.Equal("stored", value);
        Assert.Equal(1, reader.Cache.Analytics().StoreHits);
    }

    [Fact]
    public async Task GetOrCreateAsync_FileMiss_WritesFactoryResultToFile()
    {
        await using (var harness = await StoreHarness.StartAsync(ConnectionString, WriteThrough))
        {
            Assert.Equal("made", await harness.Cache.GetOrCreateAsync("k", (_, _) => ValueTask.FromResult("made")));
            Assert.Equal(1, harness.Cache.Analytics().StoreMisses);
        }

        Assert.Equal("made", RawDatabase.Rows(_folder.Db)["k"].Value);
    }

    [Theory]
    [InlineData(SqliteWriteMode.WriteBehind)]
    [InlineData(SqliteWriteMode.WriteThrough)]
    public async Task Set_StringsAndBytes_ReadBackAsTheSameType(SqliteWriteMode mode)
    {
        var values = new Dictionary<string, object>
        {
            ["text"] = "héllo, wörld ✓",
            ["number-like text"] = "123",
            ["empty text"] = string.Empty,
            ["bytes"] = new byte[] { 0, 1, 2, 255 },
            ["empty bytes"] = Array.Empty<byte>(),
        };
        var expiresAt = new DateTimeOffset(2000, 1, 2, 3, 4, 5, 678, TimeSpan.Zero);
        await using (var writer = await StoreHarness.StartAsync(ConnectionString, o => o.WriteMode = mode))
        {
            foreach (var (key, value) in values)
            {
                writer.Store.Set(new DialogueCacheStoreEntry(key, value, expiresAt));
            }
        }

        await using var reader = new StoreHarness(ConnectionString);
        foreach (var (key, value) in values)
        {
            var entry = reader.Store.Get(key);
            Assert.NotNull(entry);
            Assert.Equal(value.GetType(), entry.Value.Value.GetType());
            Assert.Equal(value, entry.Value.Value);
            Assert.Equal(expiresAt, entry.Value.ExpiresAt);
        }
    }

    [Fact]
    public async Task Set_NoExpiry_RoundTripsMaxValue()
    {
        await using (var writer = await StoreHarness.StartAsync(ConnectionString, WriteThrough))
        {
            writer.Store.Set(new DialogueCacheStoreEntry("forever", "v", DateTimeOffset.MaxValue));
        }

        await using var reader = new StoreHarness(ConnectionString);
        Assert.Equal(DateTimeOffset.MaxValue, reader.Store.Get("forever")!.Value.ExpiresAt);
    }

    [Fact]
    public async Task Set_ExistingKey_ReplacesValueAndExpiry()
    {
        await using var harness = await StoreHarness.StartAsync(ConnectionString, WriteThrough);
        harness.Cache.Set("k", "old", TimeSpan.FromSeconds(10));
        harness.Cache.Set("k", "new", TimeSpan.FromSeconds(50));

        var row = RawDatabase.Rows(_folder.Db)["k"];
        Assert.Equal("new", row.Value);
        Assert.Equal(harness.Time.GetUtcNow().AddSeconds(50).ToUnixTimeMilliseconds(), row.ExpiresAt);
        Assert.Equal(1, RawDatabase.Count(_folder.Db));
    }

    [Fact]
    public async Task Get_ExpiredRow_ReturnsNullAndCountsMiss()
    {
        await using var harness = await StoreHarness.StartAsync(ConnectionString, WriteThrough);
        harness.Store.Set(new DialogueCacheStoreEntry("k", "v", harness.Time.GetUtcNow().AddSeconds(5)));
        harness.Time.Advance(TimeSpan.FromSeconds(5));

        Assert.Null(harness.Store.Get("k"));
        Assert.Null(harness.Cache.Get("k"));
        Assert.Equal(1, harness.Cache.Analytics().Misses);
        var request = Assert.Single(harness.StoreRequests.GetMeasurementSnapshot());
        Assert.Equal(("miss", 1L), ((string)request.Tags["cache.request.type"]!, request.Value));
    }

    [Theory]
    [InlineData(SqliteWriteMode.WriteBehind)]
    [InlineData(SqliteWriteMode.WriteThrough)]
    public async Task Invalidate_KeyInFile_RemovesRowAtOnce(SqliteWriteMode mode)
    {
        await using var harness = await StoreHarness.StartAsync(ConnectionString, o => o.WriteMode = mode);
        harness.Cache.Set("a", "1");
        harness.Cache.Set("b", "2");
        await harness.Store.FlushAsync(CancellationToken.None);

        Assert.True(harness.Cache.Invalidate("a"));

        Assert.Equal(["b"], RawDatabase.Rows(_folder.Db).Keys);
        Assert.Null(harness.Store.Get("a"));
    }

    [Fact]
    public async Task InvalidatePattern_WildcardCharacters_MatchLiterally()
    {
        await using var harness = await StoreHarness.StartAsync(ConnectionString, WriteThrough);
        foreach (var key in (string[])["100%|x", "100|x", "a_b", "aXb", "back\\slash", "backslash", "npc:smith|1", "npc:smithy|2"])
        {
            harness.Cache.Set(key, "v");
        }

        harness.Cache.InvalidatePattern("%");
        harness.Cache.InvalidatePattern("_");
        harness.Cache.InvalidatePattern("\\");
        harness.Cache.InvalidatePattern("smith|");

        Assert.Equal(["100|x", "aXb", "backslash", "npc:smithy|2"], RawDatabase.Rows(_folder.Db).Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task InvalidatePattern_OtherCase_KeepsKey()
    {
        await using var harness = await StoreHarness.StartAsync(ConnectionString, WriteThrough);
        harness.Cache.Set("a", "lower");
        harness.Cache.Set("É", "upper accented");

        harness.Cache.InvalidatePattern("A");
        harness.Cache.InvalidatePattern("é");

        Assert.Equal(["a", "É"], RawDatabase.Rows(_folder.Db).Keys.Order(StringComparer.Ordinal));
        harness.Cache.InvalidatePattern("a");
        Assert.Equal(["É"], RawDatabase.Rows(_folder.Db).Keys);
    }

    [Fact]
    public async Task Clear_TwoCachesShareFile_RemovesOnlyOwnRows()
    {
        await using var npc = await StoreHarness.StartAsync(ConnectionString, WriteThrough, name: "npc");
        await using var chat = await StoreHarness.StartAsync(ConnectionString, WriteThrough, name: "chat");
        npc.Cache.Set("same-key", "npc line");
        chat.Cache.Set("same-key", "chat reply");
        chat.Cache.Set("other", "x");

        npc.Cache.Clear();

        Assert.Empty(RawDatabase.Rows(_folder.Db, "npc"));
        Assert.Equal(2, RawDatabase.Rows(_folder.Db, "chat").Count);
        Assert.Equal("chat reply", chat.Store.Get("same-key")!.Value.Value);
        Assert.Null(npc.Store.Get("same-key"));
    }

    [Fact]
    public async Task Open_NewFile_UsesWalWithSchemaVersion()
    {
        await using var harness = await StoreHarness.StartAsync(SqliteTestFolder.ConnectionString(_folder.PathOf("sub/dir/cache.db")));

        var path = _folder.PathOf("sub/dir/cache.db");
        Assert.Equal("wal", RawDatabase.Scalar(path, "PRAGMA journal_mode;"));
        Assert.Equal(1L, RawDatabase.Scalar(path, "PRAGMA user_version;"));
        Assert.Equal(path, harness.Store.Path);
        Assert.Contains(harness.Logs.GetSnapshot(), r => r.Message.Contains("opened", StringComparison.Ordinal) && r.Message.Contains(path, StringComparison.Ordinal));
    }

    [Fact]
    public async Task SetAndGet_ManyThreads_EveryEntryReachesFile()
    {
        await using var harness = await StoreHarness.StartAsync(ConnectionString, o => o.MaxQueueLength = 64, maxSize: 200);
        await Task.WhenAll(Enumerable.Range(0, 4).Select(t => Task.Run(() =>
        {
            for (var i = 0; i < 300; i++)
            {
                harness.Cache.Set($"t{t}:{i}", $"v{t}:{i}");
                Assert.Equal($"v{t}:{i / 2}", harness.Cache.Get($"t{t}:{i / 2}"));
            }
        })));
        await harness.Store.FlushAsync(CancellationToken.None);

        var rows = RawDatabase.Rows(_folder.Db);
        Assert.Equal(1200, rows.Count);
        Assert.All(rows, row => Assert.Equal("v" + row.Key[1..], row.Value.Value));
        Assert.Empty(harness.ErrorOperations);
    }

    [Fact]
    public async Task StartAsync_ManyStoresCreateOneNewFileAtOnce_EveryOneAcceptsIt()
    {
        for (var round = 0; round < 5; round++)
        {
            var path = _folder.PathOf($"race-{round}.db");
            var harnesses = Enumerable.Range(0, 6).Select(i => new StoreHarness(SqliteTestFolder.ConnectionString(path), name: $"c{i}")).ToList();
            using var start = new Barrier(harnesses.Count);

            await Task.WhenAll(harnesses.Select(h => Task.Run(async () =>
            {
                start.SignalAndWait();
                await h.Store.StartAsync(CancellationToken.None);
            })));

            foreach (var harness in harnesses)
            {
                Assert.Empty(harness.ErrorOperations);
                await harness.DisposeAsync();
            }

            Assert.Empty(Directory.GetFiles(_folder.Root, "*.corrupt-*"));
        }
    }

    private static void WriteThrough(SqliteStoreOptions options) => options.WriteMode = SqliteWriteMode.WriteThrough;
}
