using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.Extensions.Time.Testing;

namespace Dialogue.Caching.Tests.Concurrency;

/// <summary>
/// Every kind of call from many threads at once, in phases separated by a barrier: between phases no call is in
/// flight, so the cache's at-rest invariants must hold exactly. Values name their key (<c>key=writer</c>), so a
/// value read under the wrong key, or one nobody wrote, is caught.
/// </summary>
[Collection(StressTestGroup.Name)]
public sealed class MixedOperationsStressTests
{
    private const int Threads = 12;
    private const int Phases = 8;
    private const int OperationsPerPhase = 1_000;
    private const int MaxSize = 50;

    private static readonly string[] Keys = Enumerable.Range(0, 160)
        .Select(i => string.Create(CultureInfo.InvariantCulture, $"npc{i % 8}|line{i}|")).ToArray();

    private static readonly string[] Patterns = ["npc0|", "npc5|", "|line7|", "|line42|", "line13"];

    private readonly FakeTimeProvider _time = new();
    private readonly ConcurrentDictionary<string, byte> _written = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<string> _violations = new();

    [Fact]
    public void MixedOperations_ManyThreads_KeepInvariantsAtEveryQuiescentPoint()
    {
        using var cache = new DialogueCache(new DialogueCacheOptions { MaxSize = MaxSize, Ttl = TimeSpan.FromSeconds(2) }, _time);
        var reads = new long[Threads];
        var readValues = Enumerable.Range(0, Threads).Select(_ => new List<(string Key, string Value)>()).ToArray();
        var phasesChecked = 0;
        using var barrier = new Barrier(Threads, _ =>
        {
            // Every thread waits here: no call is in flight.
            phasesChecked++;
            CheckAtRest(cache, reads.Sum(), $"after phase {phasesChecked}");
        });

        var errors = StressThreads.Run(Threads, thread =>
        {
            var random = new Random(thread);
            for (var phase = 0; phase < Phases; phase++)
            {
                for (var i = 0; i < OperationsPerPhase; i++)
                {
                    try
                    {
                        RunOne(cache, thread, random, ref reads[thread], readValues[thread], string.Create(CultureInfo.InvariantCulture, $"{thread}.{phase}.{i}"));
                    }
                    catch (Exception exception)
                    {
                        _violations.Enqueue($"thread {thread} threw {exception}");
                    }
                }

                barrier.SignalAndWait();
            }
        });

        Assert.True(errors.Count == 0, StressThreads.Describe(errors));
        Assert.Equal(Phases, phasesChecked);
        Assert.True(_violations.IsEmpty, string.Join(Environment.NewLine, _violations.Take(20)));

        // Every value read was written for that key by someone.
        var unknown = readValues.SelectMany(list => list).Where(r => !_written.ContainsKey(r.Value)).Take(5).ToList();
        Assert.True(unknown.Count == 0, $"values nobody wrote: {string.Join(", ", unknown)}");
        Assert.True(readValues.Sum(list => list.Count) > Threads * Phases * OperationsPerPhase / 50, "too few hits to mean anything");

        // After the storm: drop what expired, then a full scan must find exactly Count entries, each under its own key.
        cache.RemoveExpired();
        CheckFullScan(cache);
    }

    private static string ValueFor(string key, string writer) => $"{key}={writer}";

    private void RunOne(DialogueCache cache, int thread, Random random, ref long reads, List<(string Key, string Value)> readValues, string tag)
    {
        var key = Keys[random.Next(Keys.Length)];
        var dice = random.Next(100);
        switch (dice)
        {
            case < 30:
                reads++;
                Record(key, cache.Get(key), readValues);
                break;
            case < 40:
                reads++;
                Record(key, cache.TryGet(key, out var found) ? found : null, readValues);
                break;
            case < 55:
                reads++;
                Record(key, GetOrCreate(cache, key, tag, asynchronous: dice % 2 == 0), readValues);
                break;
            case < 77:
                var value = ValueFor(key, "s" + tag);
                _written.TryAdd(value, 0);
                cache.Set(key, value, dice % 3 == 0 ? TimeSpan.FromMilliseconds(random.Next(1, 3_000)) : null);
                break;
            case < 87:
                cache.Invalidate(key);
                break;
            case < 90:
                cache.InvalidatePattern(Patterns[random.Next(Patterns.Length)]);
                break;
            case < 94:
                var items = Enumerable.Range(0, random.Next(1, 6))
                    .Select(n => Keys[random.Next(Keys.Length)])
                    .Select((k, n) => KeyValuePair.Create(k, ValueFor(k, $"p{tag}.{n}")))
                    .ToList();
                foreach (var item in items)
                {
                    _written.TryAdd(item.Value, 0);
                }

                var stored = cache.Prewarm(items);
                if (stored != items.Select(item => item.Key).Distinct().Count())
                {
                    _violations.Enqueue($"Prewarm of {items.Count} items stored {stored}");
                }

                break;
            case < 97:
                cache.RemoveExpired();
                break;
            default:
                // Time passes while everything runs: entries expire under readers and writers.
                if (thread == 0)
                {
                    _time.Advance(TimeSpan.FromMilliseconds(random.Next(1, 400)));
                }

                break;
        }
    }

    private string GetOrCreate(DialogueCache cache, string key, string tag, bool asynchronous)
    {
        var pending = cache.GetOrCreateAsync(key, async (k, _) =>
        {
            if (asynchronous)
            {
                await Task.Yield();
            }

            var value = ValueFor(k, "f" + tag);
            _written.TryAdd(value, 0);
            return value;
        });

        return pending.IsCompleted ? pending.Result : pending.AsTask().GetAwaiter().GetResult();
    }

    private void Record(string key, string? value, List<(string Key, string Value)> readValues)
    {
        if (value is null)
        {
            return;
        }

        if (!value.StartsWith(key + "=", StringComparison.Ordinal))
        {
            _violations.Enqueue($"Get({key}) returned {value}, a value for another key");
        }

        readValues.Add((key, value));
    }

    private void CheckAtRest(DialogueCache cache, long readsMade, string when)
    {
        var count = cache.Count;
        var analytics = cache.Analytics();
        if (count > MaxSize)
        {
            _violations.Enqueue($"{when}: Count {count} > MaxSize {MaxSize}");
        }

        if (analytics.CurrentSize != count)
        {
            _violations.Enqueue($"{when}: CurrentSize {analytics.CurrentSize} != Count {count}");
        }

        if (analytics.Hits + analytics.Misses != readsMade)
        {
            _violations.Enqueue($"{when}: hits {analytics.Hits} + misses {analytics.Misses} != {readsMade} reads made");
        }
    }

    private void CheckFullScan(DialogueCache cache)
    {
        var count = cache.Count;
        Assert.InRange(count, 0, MaxSize);
        var first = Keys.Select(key => (Key: key, Value: cache.Get(key))).ToList();
        var found = first.Where(r => r.Value is not null).ToList();
        foreach (var (key, value) in found)
        {
            Assert.StartsWith(key + "=", value, StringComparison.Ordinal);
            Assert.True(_written.ContainsKey(value!), $"{key} holds {value}, which nobody wrote");
        }

        Assert.Equal(count, found.Count);
        Assert.Equal(count, cache.Count);

        // A second scan with nothing in between sees the same content.
        var second = Keys.Select(key => (Key: key, Value: cache.Get(key))).ToList();
        Assert.Equal(first, second);
    }
}
