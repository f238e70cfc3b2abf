using System.Diagnostics;
using Dialogue.Caching.Sqlite;
using Microsoft.Data.Sqlite;

namespace Dialogue.Caching.IntegrationTests.Sqlite;

/// <summary>
/// The store's failures and log lines reach user code (logging providers, meter listeners on
/// <c>cache.store.errors</c>) only after the store has released its locks: a slow log sink must not stall every
/// writer, and a listener that calls back into the cache must not deadlock it. Each test plays a fault on a real
/// file and checks every such call made while it lasted.
/// </summary>
public sealed class ReportingOutsideLocksTests : IDisposable
{
    private readonly SqliteTestFolder _folder = new();
    private readonly string _name = $"probe-{Guid.NewGuid():N}";

    private string ConnectionString => SqliteTestFolder.ConnectionString(_folder.Db);

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task StartAsync_CorruptFile_LogsAndReportsOutsideTheStoreLocks()
    {
        await File.WriteAllTextAsync(_folder.Db, "not a database, and long enough to be read as a header of one ........");
        using var probe = new UserCodeProbe(_name);
        await using var harness = Probed(probe);

        await harness.StartStoreAsync();

        Assert.True(File.Exists(_folder.Db + ".corrupt-20000101T000000Z"));
        AssertReachedOnlyOutsideLocks(probe, errors: 1);
    }

    [Fact]
    public async Task StartAsync_RefusedFile_LogsAndReportsOutsideTheStoreLocks()
    {
        RawDatabase.Execute(_folder.Db, "CREATE TABLE users (id INTEGER PRIMARY KEY);");
        using var probe = new UserCodeProbe(_name);
        await using var harness = Probed(probe, o => o.WriteMode = SqliteWriteMode.WriteThrough);

        await Assert.ThrowsAsync<InvalidOperationException>(() => harness.Store.StartAsync(CancellationToken.None));
        harness.Cache.Set("k", "v"); // refused again, under the write lock of write-through

        AssertReachedOnlyOutsideLocks(probe, errors: 2);
    }

    [Theory]
    [InlineData(SqliteWriteMode.WriteBehind)]
    [InlineData(SqliteWriteMode.WriteThrough)]
    public async Task Set_DiskFull_ReportsOutsideTheStoreLocks(SqliteWriteMode mode)
    {
        await using (var first = await StoreHarness.StartAsync(ConnectionString, o => o.WriteMode = SqliteWriteMode.WriteThrough))
        {
            first.Cache.Set("before", "v");
        }

        using var probe = new UserCodeProbe(_name);
        await using var harness = Probed(probe, o => o.WriteMode = mode, store => store.ConnectionOpened = connection =>
        {
            using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA max_page_count = 1;"; // a full disk: the next page fails with SQLITE_FULL
            command.ExecuteNonQuery();
        });
        await harness.StartStoreAsync();

        harness.Cache.Set("big", new string('x', 20_000));
        await harness.Store.FlushAsync(CancellationToken.None);
        await harness.TickFlushAsync(TimeSpan.FromSeconds(1)); // the background flush retries the failed key's removal

        AssertReachedOnlyOutsideLocks(probe, errors: 1);
    }

    [Fact]
    public async Task Invalidate_ReadOnlyFile_ReportsOutsideTheStoreLocksAndRetriesLikewise()
    {
        await using (var first = await StoreHarness.StartAsync(ConnectionString, o => o.WriteMode = SqliteWriteMode.WriteThrough))
        {
            first.Cache.Set("npc:a|1", "v");
        }

        using var probe = new UserCodeProbe(_name);
        await using var harness = Probed(probe, configure: null, connectionString: ConnectionString + ";Mode=ReadOnly");
        await harness.StartStoreAsync();

        harness.Cache.Invalidate("npc:a|1");
        harness.Cache.InvalidatePattern("npc:");
        harness.Cache.Clear();
        await harness.Store.FlushAsync(CancellationToken.None); // retries the removals, which fail again

        AssertReachedOnlyOutsideLocks(probe, errors: 4);
    }

    [Fact]
    public async Task FirstUse_WriteThroughSetRacingAReadThatOpensTheFile_NeitherDeadlocks()
    {
        // The read opens the file (under the open lock) while a write-through Set holds the write lock and waits
        // for the open lock. Opening must not take the write lock then: the two would wait for each other forever.
        var opening = new ManualResetEventSlim();
        var writerBlocked = new ManualResetEventSlim();
        var first = 1;
        var harness = new StoreHarness(ConnectionString, o => o.WriteMode = SqliteWriteMode.WriteThrough, beforeAttach: store =>
            store.ConnectionOpened = _ =>
            {
                if (Interlocked.Exchange(ref first, 0) == 1)
                {
                    opening.Set();
                    Assert.True(writerBlocked.Wait(TimeSpan.FromSeconds(30)), "the writer reached the open lock");
                }
            });

        var reader = new Thread(() => harness.Store.Get("k")) { IsBackground = true };
        var writer = new Thread(() => harness.Cache.Set("k", "v")) { IsBackground = true };
        reader.Start();
        Assert.True(opening.Wait(TimeSpan.FromSeconds(30)), "the reader started opening the file");
        writer.Start();

        // The writer has taken the write lock and waits for the open lock once its thread blocks.
        var waited = Stopwatch.StartNew();
        while ((writer.ThreadState & System.Threading.ThreadState.WaitSleepJoin) == 0 && writer.IsAlive)
        {
            Assert.True(waited.Elapsed < TimeSpan.FromSeconds(30), "the writer blocks on the open lock");
            Thread.Yield();
        }

        writerBlocked.Set();

        // Deadlocked threads would hold the store's locks for ever: the harness is disposed only if they finished.
        Assert.True(reader.Join(TimeSpan.FromSeconds(30)), "the reader finished opening the file");
        Assert.True(writer.Join(TimeSpan.FromSeconds(30)), "the writer finished its write");
        await using (harness)
        {
            Assert.Equal("v", RawDatabase.Rows(_folder.Db)["k"].Value);
        }
    }

    private static void AssertReachedOnlyOutsideLocks(UserCodeProbe probe, int errors)
    {
        Assert.True(probe.ErrorMeasurements >= errors, $"at least {errors} store errors reached the meter listener ({probe.ErrorMeasurements})");
        Assert.True(probe.LogCalls > 0, "the logging provider was called");
        Assert.Empty(probe.CalledUnderLock);
    }

    private StoreHarness Probed(UserCodeProbe probe, Action<SqliteStoreOptions>? configure = null,
        Action<SqliteDialogueCacheStore>? beforeAttach = null, string? connectionString = null)
    {
        var harness = new StoreHarness(connectionString ?? ConnectionString, configure, name: _name, alsoLogTo: probe, beforeAttach: store =>
        {
            probe.Store = store;
            beforeAttach?.Invoke(store);
        });
        return harness;
    }
}
