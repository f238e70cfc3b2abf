using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Xunit.Abstractions;

namespace Dialogue.Caching.IntegrationTests.Sqlite;

/// <summary>
/// Durability for real: a child process writes entries and prints each acknowledged key, and is killed mid-run
/// (<see cref="Process.Kill(bool)"/>: no flush, no dispose). Then this process opens the file.
/// </summary>
public sealed class CrashDurabilityTests(ITestOutputHelper output) : IDisposable
{
    private readonly SqliteTestFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task KillMidRun_WriteThrough_EveryAcknowledgedEntryIsInFile()
    {
        using var worker = WorkerProcess.Start(_folder.Db, "WriteThrough", "wt", count: 0, flushMilliseconds: 1000);
        await worker.WaitReadyAsync();
        await worker.WaitForAcksAsync(300);

        await worker.KillAsync();

        var acks = worker.Acks;
        var rows = await OpenAfterCrashAsync();
        Assert.True(acks.Count >= 300);
        var missing = acks.Where(ack => !rows.ContainsKey(ack.Key)).Select(ack => ack.Key).ToList();
        Assert.Empty(missing);
        // Besides the acknowledged entries, at most the one whose Set was in flight when the process died.
        Assert.InRange(rows.Count, acks.Count, acks.Count + 1);
        output.WriteLine($"write-through: {acks.Count} acknowledged, {rows.Count} rows after the kill, none lost");
    }

    [Fact]
    public async Task KillMidRun_WriteBehind_FileConsistentAndLossWithinOneFlushInterval()
    {
        var interval = TimeSpan.FromMilliseconds(200);
        // A queue that never fills: only the flush interval writes, which is the figure under test.
        using var worker = WorkerProcess.Start(_folder.Db, "WriteBehind", "wb", count: 0, flushMilliseconds: (int)interval.TotalMilliseconds,
            maxQueueLength: 1_000_000, pauseEvery: 10);
        await worker.WaitReadyAsync();
        await worker.WaitForAcksAsync(500);
        // The child runs on the real clock: let it go through a few flush intervals before it dies.
        await Task.Delay(interval * 4);

        var killedAt = Stopwatch.GetTimestamp();
        await worker.KillAsync();

        var acks = worker.Acks;
        var rows = await OpenAfterCrashAsync();
        var lost = acks.Where(ack => !rows.ContainsKey(ack.Key)).ToList();
        Assert.True(rows.Count > 0, "flushes happened before the kill");
        // Besides acknowledged entries, at most the one whose acknowledgement was not printed yet.
        Assert.InRange(rows.Keys.Except(acks.Select(ack => ack.Key)).Count(), 0, 1);
        var oldestLost = lost.Count == 0 ? TimeSpan.Zero : Stopwatch.GetElapsedTime(lost.Min(ack => ack.Timestamp), killedAt);
        output.WriteLine($"write-behind ({interval.TotalMilliseconds} ms): {acks.Count} acknowledged, {rows.Count} rows, {lost.Count} lost, oldest lost acknowledged {oldestLost.TotalMilliseconds:0} ms before the kill");
        // At most one flush interval of writes, plus the time the last flush itself took (slack for a busy CI).
        Assert.True(oldestLost <= interval + TimeSpan.FromMilliseconds(300), $"the oldest lost entry was acknowledged {oldestLost.TotalMilliseconds:0} ms before the kill");
    }

    // Opens the file as a new process would: no file moved aside, no error, an intact database, whole rows only.
    private async Task<Dictionary<string, RawDatabase.Row>> OpenAfterCrashAsync()
    {
        await using (var harness = await StoreHarness.StartAsync(SqliteTestFolder.ConnectionString(_folder.Db), maxSize: 1_000_000))
        {
            Assert.Empty(harness.ErrorOperations);
            Assert.DoesNotContain(harness.Logs.GetSnapshot(), r => r.Level >= LogLevel.Warning);
            Assert.True(harness.Cache.Count > 0);
        }

        Assert.Empty(Directory.GetFiles(_folder.Root, "*.corrupt-*"));
        Assert.Equal("ok", RawDatabase.IntegrityCheck(_folder.Db));
        var rows = RawDatabase.Rows(_folder.Db);
        Assert.All(rows, row => Assert.Equal(ValueOf(row.Key), row.Value.Value));
        return rows;
    }

    // Worker.Program.ValueOf: what the worker writes under each key.
    private static string ValueOf(string key) => $"the reply stored under {key}, padded to look like a line of dialogue.";
}
