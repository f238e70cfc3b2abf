using Dialogue.Caching.Sqlite;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace Dialogue.Caching.IntegrationTests.Sqlite;

/// <summary>
/// A damaged, foreign, newer, full or read-only file: the cache starts or keeps serving from memory, the failure is
/// logged and counted, and no file is ever deleted.
/// </summary>
public sealed class FaultTests : IDisposable
{
    private readonly SqliteTestFolder _folder = new();

    private string ConnectionString => SqliteTestFolder.ConnectionString(_folder.Db);

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task StartAsync_NotADatabase_MovesFileAsideAndStartsEmpty()
    {
        await File.WriteAllTextAsync(_folder.Db, "this is a text file, not a SQLite database, and it is long enough to have a header");
        await File.WriteAllTextAsync(_folder.Db + "-wal", "a stale log");

        await using var harness = await StoreHarness.StartAsync(ConnectionString);

        var movedTo = _folder.Db + ".corrupt-20000101T000000Z";
        Assert.StartsWith("this is a text file", await File.ReadAllTextAsync(movedTo));
        Assert.Equal("a stale log", await File.ReadAllTextAsync(movedTo + "-wal"));
        Assert.Equal(0, harness.Cache.Count);
        var error = Assert.Single(harness.Logs.GetSnapshot(), r => r.Level == LogLevel.Error);
        Assert.Contains(_folder.Db, error.Message, StringComparison.Ordinal);
        Assert.Contains(movedTo, error.Message, StringComparison.Ordinal);
        Assert.Contains("not deleted", error.Message, StringComparison.Ordinal);
        Assert.Equal(["open"], harness.ErrorOperations);

        harness.Cache.Set("k", "v");
        await harness.Store.FlushAsync(CancellationToken.None);
        Assert.Equal("v", RawDatabase.Rows(_folder.Db)["k"].Value);
        Assert.Equal("ok", RawDatabase.IntegrityCheck(_folder.Db));
    }

    [Fact]
    public async Task StartAsync_DamagedPages_MovesFileAsideKeepingItsBytes()
    {
        await using (var writer = await StoreHarness.StartAsync(ConnectionString, o => o.WriteMode = SqliteWriteMode.WriteThrough))
        {
            for (var i = 0; i < 200; i++)
            {
                writer.Cache.Set($"key {i}", new string('x', 100));
            }
        }

        var bytes = await File.ReadAllBytesAsync(_folder.Db);
        Assert.True(bytes.Length > 4 * 4096);
        Array.Fill(bytes, (byte)0xA5, 4096, 2 * 4096); // pages 2 and 3: b-tree pages, header intact
        await File.WriteAllBytesAsync(_folder.Db, bytes);

        var time = new FakeTimeProvider(new DateTimeOffset(2031, 2, 3, 4, 5, 6, TimeSpan.Zero));
        await using var harness = await StoreHarness.StartAsync(ConnectionString, time: time);

        Assert.Equal(bytes, await File.ReadAllBytesAsync(_folder.Db + ".corrupt-20310203T040506Z"));
        Assert.Equal(0, harness.Cache.Count);
        Assert.Null(harness.Cache.Get("key 1"));
        Assert.Equal(0, RawDatabase.Count(_folder.Db));
    }

    [Fact]
    public async Task StartAsync_CorruptTwiceInOneSecond_KeepsBothFilesAside()
    {
        await File.WriteAllTextAsync(_folder.Db, "garbage number one, long enough to be read as a database header....");
        await using (await StoreHarness.StartAsync(ConnectionString))
        {
        }

        await File.WriteAllTextAsync(_folder.Db, "garbage number two, long enough to be read as a database header....");
        await using (await StoreHarness.StartAsync(ConnectionString))
        {
        }

        Assert.StartsWith("garbage number one", await File.ReadAllTextAsync(_folder.Db + ".corrupt-20000101T000000Z"));
        Assert.StartsWith("garbage number two", await File.ReadAllTextAsync(_folder.Db + ".corrupt-20000101T000000Z-2"));
    }

    [Fact]
    public async Task StartAsync_FutureSchemaVersion_ThrowsClearErrorAndLeavesFileUntouched()
    {
        await using (var writer = await StoreHarness.StartAsync(ConnectionString, o => o.WriteMode = SqliteWriteMode.WriteThrough))
        {
            writer.Cache.Set("k", "v");
        }

        RawDatabase.Execute(_folder.Db, "PRAGMA user_version = 7;");
        var before = await File.ReadAllBytesAsync(_folder.Db);
        await using var harness = new StoreHarness(ConnectionString);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => harness.Store.StartAsync(CancellationToken.None));

        Assert.Contains("schema version 7", error.Message, StringComparison.Ordinal);
        Assert.Contains("reads schema version 1", error.Message, StringComparison.Ordinal);
        Assert.Contains(_folder.Db, error.Message, StringComparison.Ordinal);
        Assert.Contains("upgrade the package", error.Message, StringComparison.Ordinal);
        Assert.Equal(before, await File.ReadAllBytesAsync(_folder.Db));
        Assert.Single(Directory.GetFiles(_folder.Root, "cache.db*"));
        Assert.Contains(harness.Logs.GetSnapshot(), r => r.Level == LogLevel.Error && r.Message.Contains("schema version 7", StringComparison.Ordinal));

        // Used anyway (no host): nothing is written to that file, and every attempt is counted.
        harness.Cache.Set("k", "new");
        Assert.Equal("new", harness.Cache.Get("k"));
        await harness.Store.FlushAsync(CancellationToken.None);
        Assert.Equal("v", RawDatabase.Rows(_folder.Db)["k"].Value);
        Assert.Contains("set", harness.ErrorOperations);
    }

    [Fact]
    public async Task HostStart_FutureSchemaVersion_FailsStartWithClearError()
    {
        await using (await StoreHarness.StartAsync(ConnectionString))
        {
        }

        RawDatabase.Execute(_folder.Db, "PRAGMA user_version = 2;");
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Services.AddDialogueCache().AddSqliteStore(ConnectionString);
        using var host = builder.Build();

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => host.StartAsync());

        Assert.Contains("schema version 2", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StartAsync_AnotherApplicationsDatabase_RefusedAndLeftUntouched()
    {
        RawDatabase.Execute(_folder.Db, "CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT); INSERT INTO users (name) VALUES ('ada');");
        var before = await File.ReadAllBytesAsync(_folder.Db);
        await using var harness = new StoreHarness(ConnectionString);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => harness.Store.StartAsync(CancellationToken.None));

        Assert.Contains("is not a DialogueCache store", error.Message, StringComparison.Ordinal);
        Assert.Equal(before, await File.ReadAllBytesAsync(_folder.Db));
    }

    [Theory]
    [InlineData(SqliteWriteMode.WriteBehind, "flush")]
    [InlineData(SqliteWriteMode.WriteThrough, "set")]
    public async Task Set_DiskFull_FailsSoftlyCountsErrorsAndMemoryKeepsServing(SqliteWriteMode mode, string operation)
    {
        await using (var first = await StoreHarness.StartAsync(ConnectionString, o => o.WriteMode = SqliteWriteMode.WriteThrough))
        {
            first.Cache.Set("before", "stored before the disk filled up");
        }

        // SQLite's page limit stands in for a full disk: the next page the file needs fails with SQLITE_FULL.
        await using var harness = new StoreHarness(ConnectionString, o => o.WriteMode = mode, beforeAttach: store => store.ConnectionOpened = connection =>
        {
            using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA max_page_count = 1;"; // clamps to the file's current size
            command.ExecuteNonQuery();
        });
        await harness.StartStoreAsync();

        var big = new string('x', 20_000);
        for (var i = 0; i < 5; i++)
        {
            harness.Cache.Set($"new {i}", big);
        }

        if (mode == SqliteWriteMode.WriteBehind)
        {
            await harness.Store.FlushAsync(CancellationToken.None); // the batch fails here
        }

        Assert.NotEmpty(harness.ErrorOperations);
        Assert.All(harness.ErrorOperations, op => Assert.Equal(operation, op));
        Assert.Equal(harness.ErrorOperations.Count, harness.Cache.Analytics().StoreErrors);
        Assert.Contains(harness.Logs.GetSnapshot(), r => r.Level == LogLevel.Warning && r.Exception is SqliteException { SqliteErrorCode: 13 });
        Assert.Equal(big, harness.Cache.Get("new 4"));
        Assert.Equal("stored before the disk filled up", harness.Cache.Get("before"));
        Assert.Equal(["before"], RawDatabase.Rows(_folder.Db).Keys);
        Assert.Equal("ok", RawDatabase.IntegrityCheck(_folder.Db));

        // Until the older rows of the failed keys are gone, the file serves no reads. Deleting needs no new page:
        // they go at the next flush, and the file serves reads again.
        Assert.Null(harness.Store.Get("before"));
        await harness.Store.FlushAsync(CancellationToken.None);
        Assert.Equal("stored before the disk filled up", harness.Store.Get("before")!.Value.Value);
    }

    [Fact]
    public async Task Set_ReadOnlyFile_FailsSoftlyAndInvalidatedEntriesNeverComeBack()
    {
        await using (var first = await StoreHarness.StartAsync(ConnectionString, o => o.WriteMode = SqliteWriteMode.WriteThrough))
        {
            first.Cache.Set("stored", "from the file");
        }

        // Mode=ReadOnly fails writes with SQLITE_READONLY exactly as a read-only file or mount does, also for root
        // (which file permissions do not stop).
        await using var harness = await StoreHarness.StartAsync(ConnectionString + ";Mode=ReadOnly", o => o.WriteMode = SqliteWriteMode.WriteThrough);
        Assert.Equal(1, harness.Cache.Count);
        Assert.Equal("from the file", harness.Store.Get("stored")!.Value.Value);

        harness.Cache.Set("new", "memory only");
        harness.Cache.Invalidate("stored");

        Assert.Equal("memory only", harness.Cache.Get("new"));
        // The file still has the row, but the store reads nothing from it until the removal lands.
        Assert.Null(harness.Cache.Get("stored"));
        Assert.Null(harness.Store.Get("stored"));
        Assert.Equal(["set", "remove"], harness.ErrorOperations);
        Assert.Equal(2, harness.Cache.Analytics().StoreErrors);
        Assert.Contains(harness.Logs.GetSnapshot(), r => r.Exception is SqliteException { SqliteErrorCode: 8 });
        Assert.Equal(["stored"], RawDatabase.Rows(_folder.Db).Keys);
    }

    [Fact]
    public async Task Invalidate_FileRefusesWritesThenAcceptsThem_RetriedAtFlushAndReadsResume()
    {
        await using (var first = await StoreHarness.StartAsync(ConnectionString, o => o.WriteMode = SqliteWriteMode.WriteThrough))
        {
            first.Cache.Set("a", "1");
            first.Cache.Set("b", "2");
        }

        var connections = new List<SqliteConnection>();
        await using var harness = new StoreHarness(ConnectionString, o => o.WriteMode = SqliteWriteMode.WriteThrough, maxSize: 1,
            beforeAttach: store => store.ConnectionOpened = connections.Add);
        await harness.StartStoreAsync();
        Assert.Equal("1", harness.Store.Get("a")!.Value.Value);
        QueryOnly(connections, true);

        harness.Cache.Invalidate("a");

        Assert.Null(harness.Cache.Get("a"));
        Assert.Null(harness.Store.Get("b"));
        Assert.Equal(["remove"], harness.ErrorOperations);
        await harness.Store.FlushAsync(CancellationToken.None);
        // The retry fails again, and so does the recency update of the read above (queued for the flush).
        Assert.Equal(["remove", "remove", "flush"], harness.ErrorOperations);

        QueryOnly(connections, false);
        await harness.Store.FlushAsync(CancellationToken.None);

        Assert.Equal(["b"], RawDatabase.Rows(_folder.Db).Keys);
        Assert.Equal("2", harness.Store.Get("b")!.Value.Value);
        Assert.Equal(3, harness.Cache.Analytics().StoreErrors);
    }

    [Fact]
    public async Task Invalidate_RetriedLate_KeepsWhatWasWrittenAfterIt()
    {
        var connections = new List<SqliteConnection>();
        await using var harness = new StoreHarness(ConnectionString, o => o.WriteMode = SqliteWriteMode.WriteThrough,
            beforeAttach: store => store.ConnectionOpened = connections.Add);
        await harness.StartStoreAsync();
        harness.Cache.Set("npc:a|1", "old");
        QueryOnly(connections, true);
        harness.Cache.InvalidatePattern("npc:a|");
        QueryOnly(connections, false);

        harness.Cache.Set("npc:a|1", "written after the invalidation");
        await harness.Store.FlushAsync(CancellationToken.None);

        Assert.Equal("written after the invalidation", RawDatabase.Rows(_folder.Db)["npc:a|1"].Value);
        Assert.Equal("written after the invalidation", harness.Store.Get("npc:a|1")!.Value.Value);
    }

    private static void QueryOnly(List<SqliteConnection> connections, bool on)
    {
        foreach (var connection in connections.Where(c => c.State == System.Data.ConnectionState.Open))
        {
            using var command = connection.CreateCommand();
            command.CommandText = on ? "PRAGMA query_only = 1;" : "PRAGMA query_only = 0;";
            command.ExecuteNonQuery();
        }
    }

    [Fact]
    public async Task StartAsync_PathCannotBeCreated_StartsEmptyAndRetriesLater()
    {
        var blocker = _folder.PathOf("not-a-directory");
        await File.WriteAllTextAsync(blocker, "a file where the store wants a folder");
        var path = Path.Combine(blocker, "cache.db");
        await using var harness = new StoreHarness(SqliteTestFolder.ConnectionString(path), o => o.WriteMode = SqliteWriteMode.WriteThrough);
        await harness.Store.StartAsync(CancellationToken.None); // no file, so no background cleanup to wait for

        harness.Cache.Set("k", "v");
        Assert.Equal("v", harness.Cache.Get("k"));
        Assert.Equal(["start", "set"], harness.ErrorOperations);

        File.Delete(blocker);
        harness.Cache.Set("early", "the store waits before it tries again");
        harness.Time.Advance(TimeSpan.FromSeconds(5));
        harness.Cache.Set("k2", "v2");

        Assert.Equal(["start", "set", "set"], harness.ErrorOperations);
        Assert.Equal(["k2"], RawDatabase.Rows(path).Keys);
    }
}
