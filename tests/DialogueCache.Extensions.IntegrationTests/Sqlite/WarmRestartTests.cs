using Dialogue.Caching.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;

namespace Dialogue.Caching.IntegrationTests.Sqlite;

/// <summary>Warm restarts, background deletion of expired rows, and the bound on the file's rows.</summary>
public sealed class WarmRestartTests : IDisposable
{
    private readonly SqliteTestFolder _folder = new();

    private string ConnectionString => SqliteTestFolder.ConnectionString(_folder.Db);

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task StartAsync_PreviousRun_LoadsLiveEntriesMostRecentlyUsedFirstUpToMaxSize()
    {
        var time = new FakeTimeProvider();
        await using (var first = await StoreHarness.StartAsync(ConnectionString, maxSize: 10, time: time))
        {
            first.Cache.Set("expired", "x", TimeSpan.FromSeconds(30));
            foreach (var key in (string[])["k0", "k1", "k2", "k3", "k4"])
            {
                time.Advance(TimeSpan.FromSeconds(1));
                first.Cache.Set(key, "v" + key[1..]);
            }

            // A read served from the file makes k0 the most recently used.
            await first.Store.FlushAsync(CancellationToken.None);
            first.Host.EvictLocal("k0");
            time.Advance(TimeSpan.FromSeconds(1));
            Assert.Equal("v0", first.Cache.Get("k0"));
        }

        time.Advance(TimeSpan.FromMinutes(1));
        await using var second = await StoreHarness.StartAsync(ConnectionString, maxSize: 3, time: time);

        // In memory without touching the file again: the three most recently used, the expired one not at all.
        Assert.Equal(3, second.Cache.Count);
        Assert.True(second.Cache.TryGet("k0", out _));
        Assert.True(second.Cache.TryGet("k4", out _));
        Assert.True(second.Cache.TryGet("k3", out _));
        Assert.Equal(3, second.Cache.Analytics().Hits);
        Assert.Equal(0, second.Cache.Analytics().StoreHits);
    }

    [Fact]
    public async Task StartAsync_LoadedEntries_KeepTheirRemainingTtl()
    {
        var time = new FakeTimeProvider();
        await using (var first = await StoreHarness.StartAsync(ConnectionString, time: time))
        {
            first.Cache.Set("k", "v", TimeSpan.FromMinutes(10));
        }

        time.Advance(TimeSpan.FromMinutes(9));
        await using var second = await StoreHarness.StartAsync(ConnectionString, time: time);

        Assert.Equal("v", second.Cache.Get("k"));
        time.Advance(TimeSpan.FromMinutes(1));
        Assert.Null(second.Cache.Get("k"));
    }

    [Fact]
    public async Task HostStart_FileFromPreviousRun_ServesFromMemoryBeforeFirstRequest()
    {
        await using (var first = await StoreHarness.StartAsync(ConnectionString))
        {
            first.Cache.Set("npc:smith|forge|t:hello", "Welcome.");
        }

        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Services.AddSingleton<TimeProvider>(new FakeTimeProvider());
        builder.Services.AddDialogueCache().AddSqliteStore(ConnectionString);
        using var host = builder.Build();
        await host.StartAsync();
        var cache = host.Services.GetRequiredService<DialogueCache>();

        Assert.Equal(1, cache.Count);
        Assert.Equal("Welcome.", cache.Get("npc:smith|forge|t:hello"));
        Assert.Equal(0, cache.Analytics().StoreHits);
        await host.StopAsync();
    }

    [Fact]
    public async Task StartAsync_ExpiredRows_DeletedInBackground()
    {
        var time = new FakeTimeProvider();
        await using (var first = await StoreHarness.StartAsync(ConnectionString, time: time))
        {
            first.Cache.Set("short", "1", TimeSpan.FromMinutes(1));
            first.Cache.Set("long", "2", TimeSpan.FromHours(1));
        }

        time.Advance(TimeSpan.FromMinutes(2));
        await using var second = new StoreHarness(ConnectionString, time: time);
        var cleaned = second.Store.NextCleanupAsync();
        await second.Store.StartAsync(CancellationToken.None);
        await cleaned.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(["long"], RawDatabase.Rows(_folder.Db).Keys);
    }

    [Fact]
    public async Task Cleanup_EveryCleanupInterval_DeletesRowsThatExpired()
    {
        var interval = TimeSpan.FromMinutes(5);
        await using var harness = new StoreHarness(ConnectionString, o =>
        {
            o.WriteMode = SqliteWriteMode.WriteThrough;
            o.CleanupInterval = interval;
        });
        var first = harness.Store.NextCleanupAsync();
        await harness.Store.StartAsync(CancellationToken.None);
        await first.WaitAsync(TimeSpan.FromSeconds(30));
        harness.Cache.Set("short", "1", TimeSpan.FromMinutes(1));
        harness.Cache.Set("long", "2", TimeSpan.FromHours(1));

        var next = harness.Store.NextCleanupAsync();
        harness.Time.Advance(interval);
        await next.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(["long"], RawDatabase.Rows(_folder.Db).Keys);
    }

    [Theory]
    [InlineData(SqliteWriteMode.WriteBehind)]
    [InlineData(SqliteWriteMode.WriteThrough)]
    public async Task Set_BeyondMaxRows_DropsLeastRecentlyUsedRows(SqliteWriteMode mode)
    {
        await using var harness = await StoreHarness.StartAsync(ConnectionString, o =>
        {
            o.WriteMode = mode;
            o.MaxRows = 5;
        });
        for (var i = 0; i < 8; i++)
        {
            harness.Time.Advance(TimeSpan.FromSeconds(1));
            harness.Cache.Set($"k{i}", "v");
        }

        await harness.Store.FlushAsync(CancellationToken.None);

        Assert.Equal(["k3", "k4", "k5", "k6", "k7"], RawDatabase.Rows(_folder.Db).Keys.Order(StringComparer.Ordinal));
        Assert.Equal(5, harness.Store.RowEstimate);
    }

    [Fact]
    public async Task Set_ExistingKeysAtMaxRows_DropsNothing()
    {
        await using var harness = await StoreHarness.StartAsync(ConnectionString, o =>
        {
            o.WriteMode = SqliteWriteMode.WriteThrough;
            o.MaxRows = 3;
        });
        for (var round = 0; round < 3; round++)
        {
            foreach (var key in (string[])["a", "b", "c"])
            {
                harness.Cache.Set(key, $"{key}{round}");
            }
        }

        Assert.Equal(["a2", "b2", "c2"], RawDatabase.Rows(_folder.Db).Values.Select(r => (string)r.Value).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task StartAsync_FileOverMaxRows_TrimmedByFirstCleanup()
    {
        await using (var first = await StoreHarness.StartAsync(ConnectionString, o => o.MaxRows = 100))
        {
            for (var i = 0; i < 20; i++)
            {
                first.Time.Advance(TimeSpan.FromSeconds(1));
                first.Cache.Set($"k{i:00}", "v");
            }
        }

        await using var second = new StoreHarness(ConnectionString, o => o.MaxRows = 4);
        var cleaned = second.Store.NextCleanupAsync();
        await second.Store.StartAsync(CancellationToken.None);
        await cleaned.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(4, RawDatabase.Count(_folder.Db));
        Assert.Contains(second.Logs.GetSnapshot(), r => r.Message.Contains("16 least recently used rows", StringComparison.Ordinal));
    }

    [Fact]
    public async Task MaxRows_Unset_IsTenTimesMaxSize()
    {
        await using var harness = await StoreHarness.StartAsync(ConnectionString, maxSize: 37);

        Assert.Equal(370, harness.Store.MaxRows);
    }
}
