using System.Globalization;
using Dialogue.Caching.Tests.Support;
using Microsoft.Extensions.Time.Testing;
using Xunit.Abstractions;

namespace Dialogue.Caching.Tests.Concurrency;

/// <summary>
/// DESIGN: "Under concurrency reads may be recorded lossily (read buffers), provided the hit ratio stays within
/// 0.5 points of exact LRU on the same trace." The trace is replayed as get-or-set (Get; on a miss Set) on one
/// thread, which must be exact LRU, then split round-robin over 2 and 4 threads on fresh caches.
/// </summary>
[Collection(StressTestGroup.Name)]
public sealed class ConcurrentHitRatioTests
{
    private const int Keys = 100_000;
    private const int Requests = 400_000;
    private const int Capacity = 1_000;
    private const double Tolerance = 0.005;

    private static readonly Lazy<string[]> Trace = new(() =>
    {
        var names = Enumerable.Range(0, Keys).Select(i => string.Create(CultureInfo.InvariantCulture, $"prompt:{i}")).ToArray();
        return ZipfTrace.Generate(Keys, 0.9, Requests, seed: 42).Select(rank => names[rank]).ToArray();
    });

    private readonly ITestOutputHelper _output;

    public ConcurrentHitRatioTests(ITestOutputHelper output)
    {
        _output = output;
    }

    [Fact]
    public void GetOrSet_ZipfTraceOneThread_HitRatioIsExactLru()
    {
        var expectedHits = ExactLruHits(Trace.Value, Capacity);

        var (hits, misses) = Replay(threads: 1);

        Assert.Equal(Requests, hits + misses);
        Assert.Equal(expectedHits, hits);
    }

    [Theory]
    [InlineData(2)]
    [InlineData(4)]
    public void GetOrSet_ZipfTraceSplitOverThreads_HitRatioWithinHalfPointOfExactLru(int threads)
    {
        var exact = (double)ExactLruHits(Trace.Value, Capacity) / Requests;

        var (hits, misses) = Replay(threads);

        var concurrent = (double)hits / (hits + misses);
        _output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"exact LRU {exact:P3}, {threads} threads {concurrent:P3}, difference {(concurrent - exact) * 100:+0.000;-0.000} points"));
        Assert.Equal(Requests, hits + misses);
        Assert.True(Math.Abs(concurrent - exact) <= Tolerance,
            string.Create(CultureInfo.InvariantCulture, $"hit ratio on {threads} threads {concurrent:P3} is more than {Tolerance * 100} points from exact LRU {exact:P3}"));
    }

    // Each thread takes every threads-th request, in trace order; the cache's reported counters are the result.
    private static (long Hits, long Misses) Replay(int threads)
    {
        var trace = Trace.Value;
        using var cache = new DialogueCache(new DialogueCacheOptions { MaxSize = Capacity, TopKeysCount = 10 }, new FakeTimeProvider());
        var errors = StressThreads.Run(threads, thread =>
        {
            for (var i = thread; i < trace.Length; i += threads)
            {
                var key = trace[i];
                if (cache.Get(key) is null)
                {
                    cache.Set(key, key);
                }
            }
        });

        Assert.True(errors.Count == 0, StressThreads.Describe(errors));
        Assert.True(cache.Count <= Capacity, $"Count {cache.Count} > {Capacity}");
        var analytics = cache.Analytics();
        return (analytics.Hits, analytics.Misses);
    }

    // The textbook LRU: a linked list in recency order and a dictionary of its nodes.
    private static long ExactLruHits(string[] trace, int capacity)
    {
        var order = new LinkedList<string>();
        var nodes = new Dictionary<string, LinkedListNode<string>>(StringComparer.Ordinal);
        long hits = 0;
        foreach (var key in trace)
        {
            if (nodes.TryGetValue(key, out var node))
            {
                hits++;
                order.Remove(node);
                order.AddFirst(node);
                continue;
            }

            nodes[key] = order.AddFirst(key);
            if (nodes.Count > capacity)
            {
                nodes.Remove(order.Last!.Value);
                order.RemoveLast();
            }
        }

        return hits;
    }
}
