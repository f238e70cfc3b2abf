using System.Collections.Concurrent;
using System.Globalization;
using Dialogue.Caching.Engine;
using Microsoft.Extensions.Time.Testing;

namespace Dialogue.Caching.Tests.Concurrency;

/// <summary>
/// <c>Clear</c> and <c>InvalidatePattern</c> remove many entries at once while readers and writers keep going:
/// readers never throw and never see a value for another key, and the entry count stays within bounds.
/// </summary>
[Collection(StressTestGroup.Name)]
public sealed class ClearRaceTests
{
    private const int Readers = 10;
    private const int Writers = 3;
    private const int MaxSize = 100;
    private const int OperationsPerThread = 50_000;
    private const int HotKeys = 8;
    private const int RefillBeforeClear = 24;
    private const int ReadsBetweenClears = 1_000;
    private const int Padding = 16; // longs per reader's progress counter: one cache line each

    private static readonly string[] Keys = Enumerable.Range(0, 150)
        .Select(i => string.Create(CultureInfo.InvariantCulture, $"npc{i % 5}|line{i}|")).ToArray();

    private readonly FakeTimeProvider _time = new();

    [Fact]
    public void ClearAndInvalidatePattern_RacingWithReadersAndWriters_ReadersNeverThrowOrSeeAnotherKeysValue()
    {
        using var cache = new DialogueCache(new DialogueCacheOptions { MaxSize = MaxSize }, _time);
        var violations = new ConcurrentQueue<string>();
        var running = Readers + Writers;
        var clears = 0;
        var readsDone = new long[Readers * Padding];

        var errors = StressThreads.Run(Readers + Writers + 1, thread =>
        {
            var random = new Random(thread);
            if (thread == Readers + Writers)
            {
                Clearer(cache, random, readsDone, ref running, ref clears, violations);
            }
            else
            {
                try
                {
                    for (var i = 0; i < OperationsPerThread; i++)
                    {
                        ReadOrWrite(cache, thread, random, violations);
                        if (thread < Readers)
                        {
                            Volatile.Write(ref readsDone[thread * Padding], i + 1);
                        }

                        // One writer at a time holds the lock and evicts before releasing it, so a count taken
                        // while other calls are in flight may be one over the maximum, never more, never negative.
                        if (cache.Count is var count and (< 0 or > MaxSize + 1))
                        {
                            violations.Enqueue($"Count {count} while calls were in flight");
                        }
                    }
                }
                finally
                {
                    Interlocked.Decrement(ref running);
                }
            }
        });

        Assert.True(errors.Count == 0, StressThreads.Describe(errors));
        Assert.True(violations.IsEmpty, Summarize(violations));
        Assert.True(clears > 10, $"only {clears} Clear/InvalidatePattern calls raced with the readers");

        // At rest: within bounds, and a full scan finds exactly Count entries, each under its own key.
        var atRest = cache.Count;
        Assert.InRange(atRest, 0, MaxSize);
        var found = Keys.Select(key => (Key: key, Value: cache.Get(key))).Where(r => r.Value is not null).ToList();
        Assert.All(found, r => Assert.StartsWith(r.Key + "=", r.Value, StringComparison.Ordinal));
        Assert.Equal(atRest, found.Count);
    }

    /// <summary>
    /// The interleaving behind the race above, made deterministic. A reader looks a key up in the map, then
    /// records its hit on the node (<c>CacheEngine.TryGet</c>). If <c>Clear</c> runs between the two, the hit lands
    /// on a node Clear removed, after Clear reset the top keys. The next write and snapshot must not fail on it,
    /// and must not count it for a key the cache no longer holds.
    /// </summary>
    [Fact]
    public void Clear_HitRecordedOnRemovedEntryAfterClear_NextWriteAndAnalyticsSucceed()
    {
        var engine = new CacheEngine(maxSize: 100, topKeysCount: 10, new CacheClock(_time));
        for (var i = 0; i < 5; i++)
        {
            engine.Set($"k{i}", $"k{i}=v", long.MaxValue);
            for (var read = 0; read <= i; read++)
            {
                Assert.True(engine.TryGet($"k{i}", out _));
            }
        }

        _ = engine.Snapshot(10); // folds the reads into the top keys
        Assert.True(engine.TryPeek("k4", out var readerNode)); // the reader's map lookup, before Clear

        engine.Clear();
        engine.CountHit(readerNode); // the reader's hit, recorded after Clear

        var exception = Record.Exception(() => engine.Set("after", "after=v", long.MaxValue));
        Assert.Null(exception);
        Assert.True(engine.TryGet("after", out _));
        var snapshot = engine.Snapshot(10);
        Assert.Equal(1, snapshot.Count);
        Assert.Equal([new KeyFrequency("after", 1)], snapshot.TopKeys);
    }

    // Readers mostly read a few hot keys, so the entries Clear removes carry top-key counters; writers keep
    // the hot keys present.
    private static void ReadOrWrite(DialogueCache cache, int thread, Random random, ConcurrentQueue<string> violations)
    {
        var key = random.Next(4) == 0 ? Keys[random.Next(HotKeys)] : Keys[random.Next(Keys.Length)];
        try
        {
            if (thread >= Readers)
            {
                if (random.Next(10) == 0)
                {
                    cache.Prewarm([KeyValuePair.Create(key, $"{key}=prewarmed"), KeyValuePair.Create(Keys[0], $"{Keys[0]}=prewarmed")]);
                }
                else
                {
                    cache.Set(key, $"{key}=set{thread}");
                }

                return;
            }

            var hot = random.Next(4) == 0 ? key : Keys[random.Next(HotKeys)];
            var value = random.Next(3) switch
            {
                0 => cache.Get(hot),
                1 => cache.TryGet(hot, out var found) ? found : null,
                _ => cache.GetOrCreateAsync(hot, (k, _) => ValueTask.FromResult($"{k}=created")).AsTask().GetAwaiter().GetResult(),
            };

            if (value is not null && !value.StartsWith(hot + "=", StringComparison.Ordinal))
            {
                violations.Enqueue($"read of {hot} returned {value}");
            }
        }
        catch (Exception exception)
        {
            violations.Enqueue($"{(thread < Readers ? "reader" : "writer")} threw {exception}");
        }
    }

    // Clears or invalidates a pattern for as long as readers run, each time the readers have made some progress
    // (many keys read, so the top-keys summary has grown) and the cache has refilled a little: paced by the work
    // done, not by time.
    private static void Clearer(DialogueCache cache, Random random, long[] readsDone, ref int running, ref int clears, ConcurrentQueue<string> violations)
    {
        long Reads()
        {
            var sum = 0L;
            for (var reader = 0; reader < Readers; reader++)
            {
                sum += Volatile.Read(ref readsDone[reader * Padding]);
            }

            return sum;
        }

        var lastReads = 0L;
        while (Volatile.Read(ref running) > 0)
        {
            while ((Reads() - lastReads < ReadsBetweenClears || cache.Count < RefillBeforeClear) && Volatile.Read(ref running) > 0)
            {
                Thread.Yield();
            }

            lastReads = Reads();

            try
            {
                if (random.Next(2) == 0)
                {
                    cache.Clear();
                }
                else
                {
                    cache.InvalidatePattern(string.Create(CultureInfo.InvariantCulture, $"npc{random.Next(5)}|"));
                }

                clears++;
            }
            catch (Exception exception)
            {
                violations.Enqueue($"clearer threw {exception}");
            }
        }
    }

    // "N violations: 40 x reader threw NullReferenceException: ..., ..." then the first one in full.
    private static string Summarize(ConcurrentQueue<string> violations)
    {
        if (violations.IsEmpty)
        {
            return "no violations";
        }

        var kinds = violations
            .GroupBy(v => v.Split('\n')[0].Trim())
            .OrderByDescending(g => g.Count())
            .Select(g => $"  {g.Count()} x {g.Key}");
        return $"{violations.Count} violations:{Environment.NewLine}{string.Join(Environment.NewLine, kinds)}{Environment.NewLine}The first in full:{Environment.NewLine}{violations.First()}";
    }
}
