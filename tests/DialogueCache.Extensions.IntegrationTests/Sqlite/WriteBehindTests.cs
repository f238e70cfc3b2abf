using Dialogue.Caching.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;

namespace Dialogue.Caching.IntegrationTests.Sqlite;

/// <summary>Writes queued and committed in batches: on the flush interval, when the queue is full, on stop and on dispose.</summary>
public sealed class WriteBehindTests : IDisposable
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);
    private readonly SqliteTestFolder _folder = new();

    private string ConnectionString => SqliteTestFolder.ConnectionString(_folder.Db);

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task Set_WriteBehind_ReachesFileAtNextFlushInterval()
    {
        await using var harness = await StoreHarness.StartAsync(ConnectionString);
        harness.Cache.Set("a", "1");
        harness.Cache.Set("b", "2");

        Assert.Equal(0, RawDatabase.Count(_folder.Db));
        harness.Time.Advance(Interval - TimeSpan.FromMilliseconds(1));
        Assert.Equal(0, RawDatabase.Count(_folder.Db));
        await harness.TickFlushAsync(TimeSpan.FromMilliseconds(1));

        Assert.Equal(["a", "b"], RawDatabase.Rows(_folder.Db).Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Set_WriteThrough_IsInFileWhenSetReturns()
    {
        await using var harness = await StoreHarness.StartAsync(ConnectionString, o => o.WriteMode = SqliteWriteMode.WriteThrough);

        harness.Cache.Set("a", "1");

        Assert.Equal("1", RawDatabase.Rows(_folder.Db)["a"].Value);
    }

    [Theory]
    [InlineData(SqliteWriteMode.WriteBehind, 1L)]  // NORMAL: in WAL mode every commit survives a process crash
    [InlineData(SqliteWriteMode.WriteThrough, 2L)] // FULL: every commit is synced to disk before Set returns
    public async Task Open_WriteMode_SetsSyncLevelOnEveryConnection(SqliteWriteMode mode, long expected)
    {
        var levels = new List<long>();
        await using var harness = new StoreHarness(ConnectionString, o => o.WriteMode = mode,
            beforeAttach: store => store.ConnectionOpened = connection =>
            {
                using var command = connection.CreateCommand();
                command.CommandText = "PRAGMA synchronous;";
                lock (levels)
                {
                    levels.Add((long)command.ExecuteScalar()!);
                }
            });
        await harness.Store.StartAsync(CancellationToken.None);
        harness.Cache.Set("a", "1");
        harness.Store.Get("a");

        Assert.True(levels.Count >= 2);
        Assert.All(levels, level => Assert.Equal(expected, level));
    }

    [Fact]
    public async Task Set_SameKeyManyTimesBeforeFlush_WritesLatestOnly()
    {
        await using var harness = await StoreHarness.StartAsync(ConnectionString);
        for (var i = 0; i < 10; i++)
        {
            harness.Cache.Set("k", $"v{i}");
        }

        await harness.TickFlushAsync(Interval);

        Assert.Equal("v9", RawDatabase.Rows(_folder.Db)["k"].Value);
    }

    [Fact]
    public async Task Invalidate_BeforeFlush_FileNeverGetsEntry()
    {
        await using var harness = await StoreHarness.StartAsync(ConnectionString);
        harness.Cache.Set("gone", "1");
        harness.Cache.Set("npc:a|1", "2");
        harness.Cache.Set("npc:a|2", "3");
        harness.Cache.Set("kept", "4");

        harness.Cache.Invalidate("gone");
        harness.Cache.InvalidatePattern("npc:a|");
        await harness.TickFlushAsync(Interval);

        Assert.Equal(["kept"], RawDatabase.Rows(_folder.Db).Keys);
    }

    [Fact]
    public async Task Clear_BeforeFlush_FileStaysEmptyAndLaterSetsArrive()
    {
        await using var harness = await StoreHarness.StartAsync(ConnectionString);
        harness.Cache.Set("a", "1");
        harness.Cache.Clear();
        harness.Cache.Set("b", "2");

        await harness.TickFlushAsync(Interval);

        Assert.Equal(["b"], RawDatabase.Rows(_folder.Db).Keys);
    }

    [Fact]
    public async Task Get_PendingEntryEvictedFromMemory_ReturnsPendingValueNotOlderRow()
    {
        await using var harness = await StoreHarness.StartAsync(ConnectionString, maxSize: 1);
        harness.Cache.Set("k", "old");
        await harness.TickFlushAsync(Interval);
        harness.Cache.Set("k", "new");
        harness.Cache.Set("other", "evicts k from memory");
        Assert.Equal("old", RawDatabase.Rows(_folder.Db)["k"].Value);

        Assert.Equal("new", harness.Cache.Get("k"));
        Assert.Equal(1, harness.Cache.Analytics().StoreHits);
    }

    [Fact]
    public async Task Get_InvalidatedWhilePending_ReturnsNothingFromFile()
    {
        await using var harness = await StoreHarness.StartAsync(ConnectionString, maxSize: 1);
        harness.Cache.Set("k", "old");
        await harness.TickFlushAsync(Interval);
        harness.Cache.Set("k", "new");

        harness.Cache.Invalidate("k");

        Assert.Null(harness.Cache.Get("k"));
        await harness.TickFlushAsync(Interval);
        Assert.Empty(RawDatabase.Rows(_folder.Db));
    }

    [Fact]
    public async Task Set_QueueFull_WriterFlushesAndNothingIsDropped()
    {
        await using var harness = await StoreHarness.StartAsync(ConnectionString, o => o.MaxQueueLength = 4);

        for (var i = 0; i < 10; i++)
        {
            harness.Cache.Set($"k{i}", "v");
        }

        // No tick yet: the writers that found the queue full wrote it themselves.
        Assert.Equal(8, RawDatabase.Count(_folder.Db));
        await harness.Store.FlushAsync(CancellationToken.None);
        Assert.Equal(10, RawDatabase.Count(_folder.Db));
        Assert.Empty(harness.ErrorOperations);
    }

    [Fact]
    public async Task DisposeAsync_PendingWrites_AreFlushed()
    {
        var harness = await StoreHarness.StartAsync(ConnectionString);
        harness.Cache.Set("a", "1");

        await harness.DisposeAsync();

        Assert.Equal("1", RawDatabase.Rows(_folder.Db)["a"].Value);
        Assert.False(File.Exists(_folder.Db + "-wal") && new FileInfo(_folder.Db + "-wal").Length > 0, "the last connection checkpoints the log");
    }

    [Fact]
    public async Task Dispose_Sync_PendingWritesAreFlushedAndLaterWritesReported()
    {
        await using var harness = await StoreHarness.StartAsync(ConnectionString);
        harness.Cache.Set("a", "1");

        harness.Store.Dispose();
        harness.Cache.Set("b", "2");

        Assert.Equal(["a"], RawDatabase.Rows(_folder.Db).Keys);
        Assert.Equal("2", harness.Cache.Get("b"));
        Assert.Equal(["set"], harness.ErrorOperations);
    }

    [Fact]
    public async Task HostStop_PendingWrites_AreFlushed()
    {
        var time = new FakeTimeProvider();
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Services.AddSingleton<TimeProvider>(time);
        builder.Services.AddDialogueCache().AddSqliteStore(ConnectionString);
        using var host = builder.Build();
        await host.StartAsync();
        host.Services.GetRequiredService<IDialogueCache>().Set("a", "1");
        Assert.Equal(0, RawDatabase.Count(_folder.Db));

        await host.StopAsync();

        Assert.Equal("1", RawDatabase.Rows(_folder.Db)["a"].Value);
    }

    [Fact]
    public async Task ServiceProviderDispose_WithoutHost_FlushesPendingWrites()
    {
        var services = new ServiceCollection();
        services.AddDialogueCache().AddSqliteStore(ConnectionString);
        await using (var provider = services.BuildServiceProvider())
        {
            provider.GetRequiredService<IDialogueCache>().Set("a", "1");
        }

        Assert.Equal("1", RawDatabase.Rows(_folder.Db)["a"].Value);
    }

    [Fact]
    public async Task FlushAsync_Cancelled_Throws()
    {
        await using var harness = await StoreHarness.StartAsync(ConnectionString);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => harness.Store.FlushAsync(new CancellationToken(canceled: true)));
    }
}
