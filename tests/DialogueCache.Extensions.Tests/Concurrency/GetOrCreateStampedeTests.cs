using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.Extensions.Time.Testing;

namespace Dialogue.Caching.Tests.Concurrency;

/// <summary>
/// DESIGN: "concurrent misses on one key run the factory once and share its result". Many threads ask for few
/// keys at once; the factory counts its calls and how many of them run at the same time for each key.
/// </summary>
[Collection(StressTestGroup.Name)]
public sealed class GetOrCreateStampedeTests
{
    private const int Threads = 16;
    private const int KeysPerRound = 4;

    private static readonly TimeSpan GateTimeout = TimeSpan.FromSeconds(10);

    private readonly FakeTimeProvider _time = new();

    /// <summary>
    /// Each round, every thread asks for every key; each factory call is held until every other caller has
    /// joined it (the cache reports them as coalesced), so the callers of a key certainly overlap: exactly one
    /// factory call per key, and every caller gets that call's value.
    /// </summary>
    [Fact]
    public void GetOrCreateAsync_ManyThreadsMissSameKeysTogether_OneFactoryCallPerKeySharedByAll()
    {
        const int rounds = 30;
        using var cache = new DialogueCache(new DialogueCacheOptions(), _time);
        var calls = new ConcurrentDictionary<string, int>(StringComparer.Ordinal);
        var produced = new ConcurrentDictionary<string, string>(StringComparer.Ordinal);

        for (var round = 0; round < rounds; round++)
        {
            var keys = Enumerable.Range(0, KeysPerRound).Select(k => string.Create(CultureInfo.InvariantCulture, $"r{round}:k{k}")).ToArray();
            var expectedCoalesced = (round + 1L) * KeysPerRound * (Threads - 1);
            var everyoneJoined = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var results = new ConcurrentBag<(string Key, string Value)>();

            async ValueTask<string> Factory(string key, CancellationToken cancellationToken)
            {
                var call = calls.AddOrUpdate(key, 1, (_, n) => n + 1);
                await everyoneJoined.Task.WaitAsync(GateTimeout, cancellationToken);
                var value = string.Create(CultureInfo.InvariantCulture, $"{key}=call{call}");
                produced[key] = value;
                return value;
            }

            var errors = StressThreads.Run(Threads + 1, thread =>
            {
                if (thread == Threads)
                {
                    // The gatekeeper: open the factories once every other caller has joined one.
                    var spin = new SpinWait();
                    var deadline = DateTime.UtcNow + GateTimeout;
                    while (cache.Analytics().CoalescedCalls < expectedCoalesced && DateTime.UtcNow < deadline)
                    {
                        spin.SpinOnce(sleep1Threshold: -1);
                    }

                    everyoneJoined.SetResult();
                    return;
                }

                // Start every key before waiting for any, in an order of this thread's own.
                var order = keys.OrderBy(_ => Random.Shared.Next()).ToArray();
                var pending = order.Select(key => (Key: key, Task: cache.GetOrCreateAsync(key, Factory).AsTask())).ToArray();
                foreach (var (key, task) in pending)
                {
                    results.Add((key, task.GetAwaiter().GetResult()));
                }
            });

            Assert.True(errors.Count == 0, StressThreads.Describe(errors));
            Assert.Equal(expectedCoalesced, cache.Analytics().CoalescedCalls);
            Assert.All(keys, key => Assert.Equal(1, calls[key]));
            Assert.Equal(Threads * KeysPerRound, results.Count);
            Assert.All(results, r => Assert.Equal(produced[r.Key], r.Value));
            Assert.All(keys, key => Assert.Equal(produced[key], cache.Get(key)));
        }

        Assert.Equal(rounds * KeysPerRound, cache.Analytics().FactoryCalls);
    }

    /// <summary>
    /// Keys are invalidated all the time, so factory calls for a key keep starting and finishing while other
    /// threads miss it: never two calls for one key at once, and every caller gets a value that a factory call
    /// produced for its key.
    /// </summary>
    [Fact]
    public void GetOrCreateAsync_ContendedKeysInvalidatedMeanwhile_NeverTwoFactoryCallsInFlightForOneKey()
    {
        const int keyCount = 3;
        const int operationsPerThread = 3_000;
        using var cache = new DialogueCache(new DialogueCacheOptions(), _time);
        var keys = Enumerable.Range(0, keyCount).Select(k => string.Create(CultureInfo.InvariantCulture, $"hot:{k}")).ToArray();
        var inFlight = new int[keyCount];
        var overlaps = 0;
        long factoryCalls = 0;
        var produced = new ConcurrentDictionary<string, string>(StringComparer.Ordinal);
        var wrong = new ConcurrentQueue<string>();
        var coalescedBefore = cache.Analytics().CoalescedCalls;

        async ValueTask<string> Factory(string key, CancellationToken cancellationToken)
        {
            var index = Array.IndexOf(keys, key);
            var call = Interlocked.Increment(ref factoryCalls);
            if (Interlocked.Increment(ref inFlight[index]) > 1)
            {
                Interlocked.Increment(ref overlaps);
            }

            // Slow enough for other callers to arrive and join: give up the thread a few times.
            for (var i = 0; i < 3; i++)
            {
                await Task.Yield();
            }

            var value = string.Create(CultureInfo.InvariantCulture, $"{key}=call{call}");
            produced[value] = key;
            Interlocked.Decrement(ref inFlight[index]);
            return value;
        }

        var errors = StressThreads.Run(Threads, thread =>
        {
            var random = new Random(thread);
            for (var i = 0; i < operationsPerThread; i++)
            {
                var key = keys[random.Next(keyCount)];
                if (random.Next(10) == 0)
                {
                    cache.Invalidate(key);
                    continue;
                }

                var value = cache.GetOrCreateAsync(key, Factory).AsTask().GetAwaiter().GetResult();
                if (!produced.TryGetValue(value, out var producedFor) || producedFor != key)
                {
                    wrong.Enqueue($"GetOrCreateAsync({key}) returned {value}, which no factory call produced for it");
                }
            }
        });

        Assert.True(errors.Count == 0, StressThreads.Describe(errors));
        Assert.Equal(0, overlaps);
        Assert.True(wrong.IsEmpty, string.Join(Environment.NewLine, wrong.Take(10)));
        var analytics = cache.Analytics();
        Assert.Equal(factoryCalls, analytics.FactoryCalls);

        // Not vacuous: calls did overlap and were coalesced, and the factory ran far fewer times than it was asked.
        Assert.True(analytics.CoalescedCalls - coalescedBefore > 0, "no caller ever joined another's call: the test did not contend");
        Assert.True(factoryCalls < analytics.Misses, $"{factoryCalls} factory calls for {analytics.Misses} misses");
    }
}
