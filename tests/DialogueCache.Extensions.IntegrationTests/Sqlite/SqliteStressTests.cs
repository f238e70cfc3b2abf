using System.Collections.Concurrent;
using Dialogue.Caching.IntegrationTests.Support;
using Dialogue.Caching.Tests.Concurrency;
using Dialogue.Caching.Sqlite;
using Microsoft.Extensions.Time.Testing;
using Xunit.Abstractions;

namespace Dialogue.Caching.IntegrationTests.Sqlite;

/// <summary>
/// Many threads racing <c>Set</c>, <c>Get</c>, <c>Invalidate</c>, <c>InvalidatePattern</c> and explicit flushes on one
/// cache and its SQLite store, while a driver thread runs the background flush and cleanup (fake clock) and short
/// lifetimes expire. Each thread owns its keys (so the last write of every key is known: a reference model per
/// thread) and reads everyone's. Invariants: nothing throws and no store error; a read never returns the value of
/// another key; a thread always reads its own last write back (memory, write queue or file); after quiescence the
/// cache and, reopened, the file hold exactly the model's live entries.
/// </summary>
[Collection(StressTestGroup.Name)]
public sealed class SqliteStressTests(ITestOutputHelper output) : IDisposable
{
    private const int Threads = 4;
    private const int OperationsPerTick = 20;
    private const int Groups = 4;
    private const int KeysPerGroup = 10;
    private static readonly TimeSpan FlushInterval = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan ShortTtl = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan LongTtl = TimeSpan.FromDays(1);
    private readonly SqliteTestFolder _folder = new();

    private string ConnectionString => SqliteTestFolder.ConnectionString(_folder.Db);

    public void Dispose() => _folder.Dispose();

    [Theory]
    [InlineData(SqliteWriteMode.WriteBehind, 4000)]
    [InlineData(SqliteWriteMode.WriteThrough, 1500)] // every Set syncs the file: fewer, to stay within seconds
    public async Task ManyThreads_RacingFlushesAndCleanup_CacheAndReopenedFileMatchTheLastWrites(SqliteWriteMode mode, int operationsPerThread)
    {
        var time = new FakeTimeProvider();
        void Options(SqliteStoreOptions o)
        {
            o.WriteMode = mode;
            o.FlushInterval = FlushInterval;
            o.CleanupInterval = FlushInterval * 3;
            o.MaxQueueLength = 32; // writers find the queue full and flush it themselves
            o.MaxRows = 100_000;
        }

        // A memory tier smaller than the keys: evictions, and reads that go to the queue or the file.
        var harness = await StoreHarness.StartAsync(ConnectionString, Options, maxSize: 60, time: time);
        var models = Enumerable.Range(0, Threads).Select(_ => new Dictionary<string, (string Value, bool Short)?>(StringComparer.Ordinal)).ToArray();
        var violations = new ConcurrentQueue<string>();
        using var stop = new CancellationTokenSource();
        using var due = new SemaphoreSlim(0);

        // Paced by the workers (a tick per OperationsPerTick of their operations), not by time.
        var driver = Task.Run(async () =>
        {
            var ticks = 0;
            try
            {
                while (true)
                {
                    await due.WaitAsync(stop.Token);
                    await harness.TickFlushAsync(FlushInterval); // a flush every tick, a cleanup every third
                    ticks++;
                }
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return ticks;
            }
        });

        var errors = StressThreads.Run(Threads, thread =>
        {
            var random = new Random(1000 + thread);
            var model = models[thread];
            for (var i = 0; i < operationsPerThread; i++)
            {
                if (i % OperationsPerTick == 0)
                {
                    due.Release();
                }

                var roll = random.Next(100);
                var own = KeyOf(thread, random.Next(Groups), random.Next(KeysPerGroup));
                if (roll < 35)
                {
                    var value = $"{own}={i}";
                    var isShort = random.Next(5) == 0;
                    harness.Cache.Set(own, value, isShort ? ShortTtl : LongTtl);
                    model[own] = (value, isShort);
                }
                else if (roll < 45)
                {
                    harness.Cache.Invalidate(own);
                    model[own] = null;
                }
                else if (roll < 48)
                {
                    var group = $"t{thread}:g{random.Next(Groups)}|";
                    harness.Cache.InvalidatePattern(group);
                    foreach (var key in model.Keys.Where(k => k.StartsWith(group, StringComparison.Ordinal)).ToList())
                    {
                        model[key] = null;
                    }
                }
                else if (roll < 50)
                {
                    harness.Store.FlushAsync(CancellationToken.None).GetAwaiter().GetResult(); // completes synchronously
                }
                else if (roll < 75)
                {
                    var read = harness.Cache.Get(own);
                    var expected = model.GetValueOrDefault(own);
                    if (read is not null && !read.StartsWith(own + "=", StringComparison.Ordinal))
                    {
                        violations.Enqueue($"{own} returned {read}");
                    }
                    else if (read != expected?.Value && !(read is null && expected is { Short: true }))
                    {
                        violations.Enqueue($"thread {thread} read {read ?? "nothing"} for its key {own}, last written {expected?.Value ?? "removed"}");
                    }
                }
                else
                {
                    var other = KeyOf(random.Next(Threads), random.Next(Groups), random.Next(KeysPerGroup));
                    if (harness.Cache.Get(other) is { } read && !read.StartsWith(other + "=", StringComparison.Ordinal))
                    {
                        violations.Enqueue($"{other} returned {read}");
                    }
                }
            }
        });

        await stop.CancelAsync();
        var ticks = await driver.WaitAsync(TimeSpan.FromSeconds(60));
        Assert.True(errors.Count == 0, StressThreads.Describe(errors));
        Assert.True(violations.IsEmpty, string.Join(Environment.NewLine, violations.Take(20)));

        // Quiescent: past every short lifetime, the cache serves exactly the model's live entries.
        time.Advance(ShortTtl * 2);
        var expected = models.SelectMany(m => m)
            .Where(entry => entry.Value is { Short: false })
            .ToDictionary(entry => entry.Key, entry => entry.Value!.Value.Value, StringComparer.Ordinal);
        var everyKey = Enumerable.Range(0, Threads).SelectMany(t => Enumerable.Range(0, Groups).SelectMany(g => Enumerable.Range(0, KeysPerGroup).Select(k => KeyOf(t, g, k)))).ToList();
        Assert.All(everyKey, key => Assert.Equal(expected.GetValueOrDefault(key), harness.Cache.Get(key)));
        Assert.Empty(harness.ErrorOperations);
        await harness.DisposeAsync();

        // Reopened: the file's live rows are the model's, and a warm restart serves them.
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        var live = RawDatabase.Rows(_folder.Db).Where(row => row.Value.ExpiresAt > now).ToDictionary(row => row.Key, row => (string)row.Value.Value, StringComparer.Ordinal);
        Assert.Equal(expected.OrderBy(e => e.Key, StringComparer.Ordinal), live.OrderBy(e => e.Key, StringComparer.Ordinal));
        Assert.Equal("ok", RawDatabase.IntegrityCheck(_folder.Db));
        await using var reopened = await StoreHarness.StartAsync(ConnectionString, Options, maxSize: 1000, time: time);
        Assert.Equal(expected.Count, reopened.Cache.Count);
        Assert.All(everyKey, key => Assert.Equal(expected.GetValueOrDefault(key), reopened.Cache.Get(key)));
        Assert.Empty(reopened.ErrorOperations);
        output.WriteLine($"{mode}: {Threads} threads x {operationsPerThread} operations, {ticks} background flushes, {expected.Count} live entries at the end");
    }

    private static string KeyOf(int thread, int group, int key) => $"t{thread}:g{group}|k{key}";
}
