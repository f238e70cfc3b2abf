using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Time.Testing;

namespace Dialogue.Caching.Tests.Concurrency;

/// <summary>
/// The IMemoryCache face from many threads at once: entries with post-eviction callbacks set, replaced, removed,
/// invalidated by pattern, evicted for capacity and expired while other threads do the same to the same keys. Every
/// entry stored hears exactly one callback, with its own key and value and a reason that fits how it can go.
/// </summary>
[Collection(StressTestGroup.Name)]
public sealed class FaceStressTests
{
    private const int Threads = 8;
    private const int OperationsPerThread = 4_000;
    private const int MaxSize = 32;

    // String keys (some matching the invalidated pattern) and object keys, more of them than the cache holds.
    private static readonly object[] Keys = [
        .. Enumerable.Range(0, 48).Select(i => (object)string.Create(CultureInfo.InvariantCulture, $"npc{i % 4}|line{i}")),
        .. Enumerable.Range(0, 16).Select(i => (object)i)];

    private readonly FakeTimeProvider _time = new();
    private readonly ConcurrentDictionary<long, int> _callbacks = new();
    private readonly ConcurrentDictionary<EvictionReason, int> _reasons = new();
    private readonly ConcurrentQueue<string> _violations = new();
    private long _stored;

    [Fact]
    public async Task MemoryFace_ConcurrentSetRemoveEvictAndExpire_EveryStoredEntryHearsExactlyOneFittingCallback()
    {
        using var cache = new DialogueCache(new DialogueCacheOptions { MaxSize = MaxSize, Ttl = TimeSpan.FromHours(1) }, _time);
        IMemoryCache memory = cache;

        var errors = StressThreads.Run(Threads, thread =>
        {
            var random = new Random(thread);
            for (var i = 0; i < OperationsPerThread; i++)
            {
                var key = Keys[random.Next(Keys.Length)];
                var roll = random.Next(100);
                if (roll < 60)
                {
                    Set(memory, key, expires: random.Next(4) == 0, random);
                }
                else if (roll < 80)
                {
                    memory.Remove(key);
                }
                else if (roll < 94)
                {
                    memory.TryGetValue(key, out _);
                }
                else if (roll < 98)
                {
                    cache.InvalidatePattern("npc1|");
                }
                else
                {
                    _time.Advance(TimeSpan.FromSeconds(1));
                    cache.RemoveExpired();
                }
            }
        });

        Assert.True(errors.Count == 0, StressThreads.Describe(errors));
        Assert.InRange(cache.Count, 0, MaxSize);

        // At rest: clearing removes what is left, so every entry ever stored has now gone exactly once.
        cache.Clear();
        Assert.Equal(0, cache.Count);
        await AllCallbacksArrived();

        var stored = Interlocked.Read(ref _stored);
        Assert.True(_violations.IsEmpty, string.Join(Environment.NewLine, _violations.Take(20)));
        var missing = Enumerable.Range(1, (int)stored).Where(id => !_callbacks.ContainsKey(id)).Take(10).ToList();
        Assert.True(missing.Count == 0, $"entries without a callback: {string.Join(", ", missing)}");
        var repeated = _callbacks.Where(c => c.Value != 1).Take(10).ToList();
        Assert.True(repeated.Count == 0, $"entries with more than one callback: {string.Join(", ", repeated)}");
        Assert.Equal(stored, _callbacks.Count);
        foreach (var reason in new[] { EvictionReason.Replaced, EvictionReason.Removed, EvictionReason.Capacity, EvictionReason.Expired })
        {
            Assert.True(_reasons.GetValueOrDefault(reason) > 0, $"no entry went for {reason}: the run did not exercise it");
        }
    }

    private void Set(IMemoryCache memory, object key, bool expires, Random random)
    {
        var id = Interlocked.Increment(ref _stored);
        var options = new MemoryCacheEntryOptions().RegisterPostEvictionCallback(OnEvicted);
        if (expires)
        {
            options.AbsoluteExpirationRelativeToNow = TimeSpan.FromSeconds(random.Next(1, 5));
        }

        memory.Set(key, new Payload(id, key, expires), options);
    }

    private void OnEvicted(object key, object? value, EvictionReason reason, object? state)
    {
        if (value is not Payload payload)
        {
            _violations.Enqueue($"a callback for {key} got {value ?? "null"}, not the value stored");
            return;
        }

        if (!Equals(payload.Key, key))
        {
            _violations.Enqueue($"entry {payload.Id} stored under {payload.Key} heard its callback for {key}");
        }

        var fits = reason switch
        {
            EvictionReason.Replaced or EvictionReason.Removed or EvictionReason.Capacity => true,
            EvictionReason.Expired => payload.Expires,
            _ => false,
        };
        if (!fits)
        {
            _violations.Enqueue($"entry {payload.Id} ({(payload.Expires ? "expiring" : "without expiration")}) went for {reason}");
        }

        _reasons.AddOrUpdate(reason, 1, static (_, n) => n + 1);
        _callbacks.AddOrUpdate(payload.Id, 1, static (_, n) => n + 1);
    }

    // Callbacks run on the thread pool; wait (bounded) until each stored entry's has run and the pool is idle, so a
    // second callback for an entry would have arrived too.
    private async Task AllCallbacksArrived()
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (_callbacks.Values.Sum() < Interlocked.Read(ref _stored) || ThreadPool.PendingWorkItemCount > 0)
        {
            Assert.True(DateTime.UtcNow < deadline, $"{_callbacks.Values.Sum()} of {Interlocked.Read(ref _stored)} callbacks arrived within 30 s");
            await Task.Delay(1);
        }
    }

    private sealed record Payload(long Id, object Key, bool Expires);
}
