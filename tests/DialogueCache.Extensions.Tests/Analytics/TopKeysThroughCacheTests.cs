using System.Globalization;
using Dialogue.Caching.Tests.Concurrency;
using Dialogue.Caching.Tests.Support;
using Microsoft.Extensions.Time.Testing;
using Xunit.Abstractions;

namespace Dialogue.Caching.Tests.Analytics;

/// <summary>
/// DESIGN: "Top keys count every read of a key, hit or miss ... On a Zipf trace the reported top 10 must be the true
/// top 10." Checked through the cache itself (hits folded from the nodes, misses from the request buffer), against
/// an exact count of the same trace.
/// </summary>
[Collection(StressTestGroup.Name)]
public sealed class TopKeysThroughCacheTests
{
    private const int Keys = 20_000;
    private const int Requests = 300_000;

    private static readonly Lazy<string[]> Trace = new(() =>
    {
        var names = Enumerable.Range(0, Keys).Select(i => string.Create(CultureInfo.InvariantCulture, $"npc:{i % 50}|ctx|t:line {i}")).ToArray();
        return ZipfTrace.Generate(Keys, 0.9, Requests, seed: 7).Select(rank => names[rank]).ToArray();
    });

    private readonly ITestOutputHelper _output;

    public TopKeysThroughCacheTests(ITestOutputHelper output)
    {
        _output = output;
    }

    [Theory]
    [InlineData(EvictionPolicy.Lru)]
    [InlineData(EvictionPolicy.TinyLfu)]
    public void GetOrSet_ZipfTraceOneThread_TopTenExactCountsWithinTheSpaceSavingBound(EvictionPolicy policy)
    {
        using var cache = NewCache(policy);

        foreach (var key in Trace.Value)
        {
            GetOrSet(cache, key);
        }

        // Space-Saving counts a key exactly from the moment it holds a counter, and starts it from the sketch's
        // estimate (never below the true count). Popular keys get theirs within their first hits
        // (ReadRecorder.FoldEvery), while estimates are still close: at most a read or two too high, depending on
        // the process's hash seed.
        var exact = ExactTop(10);
        var reported = cache.Analytics().MostFrequentlyRequested;
        Assert.Equal(exact.Select(e => e.Key), reported.Select(r => r.Key));
        Assert.All(exact.Zip(reported), pair => Assert.InRange(pair.Second.Count, pair.First.Count, pair.First.Count + 3));
    }

    [Fact]
    public void GetOrSet_ZipfTraceOverFourThreads_TopTenKeysAreTheTrueOnesAndCountsClose()
    {
        using var cache = NewCache(EvictionPolicy.Lru);
        var trace = Trace.Value;

        var errors = StressThreads.Run(4, thread =>
        {
            for (var i = thread; i < trace.Length; i += 4)
            {
                GetOrSet(cache, trace[i]);
            }
        });

        Assert.True(errors.Count == 0, StressThreads.Describe(errors));
        var exact = ExactTop(10);
        var reported = cache.Analytics().MostFrequentlyRequested;
        foreach (var (key, count) in exact)
        {
            var found = reported.SingleOrDefault(r => r.Key == key);
            _output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{key}: exact {count}, reported {found.Count}"));
        }

        Assert.Equal(exact.Select(e => e.Key).ToHashSet(), reported.Select(r => r.Key).ToHashSet());
        Assert.All(exact, e => Assert.InRange(reported.Single(r => r.Key == e.Key).Count, e.Count * 0.99, e.Count * 1.01));
    }

    private static void GetOrSet(DialogueCache cache, string key)
    {
        if (cache.Get(key) is null)
        {
            cache.Set(key, key);
        }
    }

    private static DialogueCache NewCache(EvictionPolicy policy) =>
        new(new DialogueCacheOptions { MaxSize = 1_000, EvictionPolicy = policy }, new FakeTimeProvider());

    private static List<KeyFrequency> ExactTop(int count) => Trace.Value
        .GroupBy(key => key, StringComparer.Ordinal)
        .Select(group => new KeyFrequency(group.Key, group.Count()))
        .OrderByDescending(k => k.Count).ThenBy(k => k.Key, StringComparer.Ordinal)
        .Take(count)
        .ToList();
}
