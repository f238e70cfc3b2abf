using Xunit.Abstractions;

namespace Dialogue.Caching.IntegrationTests.Sqlite;

/// <summary>Two processes writing one file at once: SQLite's locks and the busy timeout keep every write.</summary>
public sealed class MultiProcessTests(ITestOutputHelper output) : IDisposable
{
    private readonly SqliteTestFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task TwoProcesses_WriteOneNewFileAtOnce_EveryEntryStoredWithoutErrors()
    {
        using var through = WorkerProcess.Start(_folder.Db, "WriteThrough", "a", count: 400, flushMilliseconds: 100);
        using var behind = WorkerProcess.Start(_folder.Db, "WriteBehind", "b", count: 5000, flushMilliseconds: 20);

        Assert.Equal(0, await through.WaitForExitAsync());
        Assert.Equal(0, await behind.WaitForExitAsync());

        Assert.Contains("done errors=0", through.Lines);
        Assert.Contains("done errors=0", behind.Lines);
        Assert.Equal("ok", RawDatabase.IntegrityCheck(_folder.Db));
        var rows = RawDatabase.Rows(_folder.Db);
        Assert.Equal(5400, rows.Count);
        Assert.All(Enumerable.Range(0, 400), i => Assert.True(rows.ContainsKey($"a:{i}")));
        Assert.All(Enumerable.Range(0, 5000), i => Assert.True(rows.ContainsKey($"b:{i}")));
        output.WriteLine($"{rows.Count} rows from two processes; stderr: '{through.Errors}{behind.Errors}'");
    }

    [Fact]
    public async Task OtherProcessWrites_ThisProcessReadsThemOnMemoryMiss()
    {
        await using var harness = await StoreHarness.StartAsync(SqliteTestFolder.ConnectionString(_folder.Db));
        Assert.Null(harness.Cache.Get("other:3"));

        using var worker = WorkerProcess.Start(_folder.Db, "WriteThrough", "other", count: 5, flushMilliseconds: 100);
        Assert.Equal(0, await worker.WaitForExitAsync());

        Assert.Equal("the reply stored under other:3, padded to look like a line of dialogue.", harness.Cache.Get("other:3"));
        Assert.Equal(1, harness.Cache.Analytics().StoreHits);
    }
}
