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
    public async Task KillMidRun_WriteBehind_FileConsistentAndOnlyWritesAfterTheLastCommittedFlushLost()
    {
        var interval = TimeSpan.FromMilliseconds(200);
        // A queue that never fills: only the background flush writes, which is the behaviour under test.
        using var worker = WorkerProcess.Start(_folder.Db, "WriteBehind", "wb", count: 0, flushMilliseconds: (int)interval.TotalMilliseconds,
            maxQueueLength: 1_000_000, pauseEvery: 10);
        await worker.WaitReadyAsync();
        await worker.WaitForAcksAsync(500);

        // No stopwatch bound on the loss (the child runs on the real clock, and a loaded 2-core machine stretches
        // any interval): that a write reaches the file within one flush interval is tested on a fake clock
        // (WriteBehindTests.Set_WriteBehind_ReachesFileAtNextFlushInterval). Here, what only a real kill shows: wait
        // (bounded, generously) until the child's background flush, unasked, has committed an acknowledged write,
        // let it write on, then kill it.
        var committed = worker.Acks[^1].Key;
        Assert.True(await RowAppearsAsync(committed, TimeSpan.FromSeconds(60)), $"the background flush committed {committed}");
        var acked = worker.Acks.Count;
        await worker.WaitForAcksAsync(acked + 200);

        var killedAt = Stopwatch.GetTimestamp();
        await worker.KillAsync();

        var acks = worker.Acks;
        var rows = await OpenAfterCrashAsync();
        var lost = acks.Where(ack => !rows.ContainsKey(ack.Key)).ToList();

        // Every committed flush survived, and flushes write the queue in order: the file holds a prefix of the
        // writes (no holes), at least up to the one seen committed, plus at most the one whose acknowledgement was
        // not printed yet. Whatever was lost came after the last committed flush.
        var position = acks.Select((ack, i) => (ack.Key, i)).ToDictionary(p => p.Key, p => p.i);
        Assert.True(rows.ContainsKey(committed), "a committed flush survives the kill");
        Assert.InRange(rows.Count, position[committed] + 1, acks.Count + 1);
        Assert.All(Enumerable.Range(0, Math.Min(rows.Count, acks.Count)), i => Assert.True(rows.ContainsKey(acks[i].Key), $"{acks[i].Key} is in the file"));
        Assert.All(lost, ack => Assert.True(position[ack.Key] >= rows.Count, $"{ack.Key} was lost but a later write was kept"));
        var oldestLost = lost.Count == 0 ? TimeSpan.Zero : Stopwatch.GetElapsedTime(lost.Min(ack => ack.Timestamp), killedAt);
        output.WriteLine($"write-behind ({interval.TotalMilliseconds} ms): {acks.Count} acknowledged, {rows.Count} rows, {lost.Count} lost, oldest lost acknowledged {oldestLost.TotalMilliseconds:0} ms before the kill");
    }

    // Polls the file from this process (WAL lets a reader in while the child writes), as an operator's tool would.
    private async Task<bool> RowAppearsAsync(string key, TimeSpan limit)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(limit.TotalSeconds * Stopwatch.Frequency);
        while (Stopwatch.GetTimestamp() < deadline)
        {
            using (var connection = RawDatabase.Open(_folder.Db))
            using (var command = connection.CreateCommand())
            {
                command.CommandText = $"SELECT count(*) FROM {RawDatabase.Table} WHERE cache = 'default' AND key = $key";
                command.Parameters.AddWithValue("$key", key);
                if ((long)command.ExecuteScalar()! == 1)
                {
                    return true;
                }
            }

            await Task.Delay(20);
        }

        return false;
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
