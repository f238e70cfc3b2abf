using Dialogue.Caching.Analytics;
using Dialogue.Caching.Tests.Support;

namespace Dialogue.Caching.Tests.Analytics;

public sealed class TopKeysSummaryTests
{
    [Fact]
    public void Top_FewerKeysThanCapacity_IsExact()
    {
        var summary = new TopKeysSummary(16);
        var random = new Random(7);
        var truth = new Dictionary<string, long>();
        for (var i = 0; i < 10_000; i++)
        {
            var key = $"k{random.Next(12)}";
            summary.Record(key);
            truth[key] = truth.GetValueOrDefault(key) + 1;
        }

        var expected = truth.OrderByDescending(p => p.Value).ThenBy(p => p.Key, StringComparer.Ordinal)
            .Select(p => new KeyFrequency(p.Key, p.Value)).ToArray();

        Assert.Equal(expected, summary.Top(12));
    }

    [Theory]
    [InlineData(0.7)]
    [InlineData(0.9)]
    [InlineData(1.1)]
    public void Top_ZipfTraceOverManyKeys_ReportsTrueTopTen(double exponent)
    {
        const int keys = 100_000;
        var trace = ZipfTrace.Generate(keys, exponent, 1_000_000, seed: 42);
        var truth = new long[keys];
        var summary = new TopKeysSummary(1024);
        var names = Enumerable.Range(0, keys).Select(r => $"key{r}").ToArray();
        foreach (var rank in trace)
        {
            truth[rank]++;
            summary.Record(names[rank]);
        }

        var expected = Enumerable.Range(0, keys).OrderByDescending(r => truth[r]).Take(10).Select(r => names[r]).ToHashSet();
        var reported = summary.Top(10);

        Assert.Equal(expected, reported.Select(k => k.Key).ToHashSet());

        // Space-Saving never under-counts; on a skewed trace the heavy keys' counts are within 1 % of the truth.
        foreach (var (key, count) in reported)
        {
            var actual = truth[int.Parse(key.AsSpan(3), provider: null)];
            Assert.InRange(count, actual, actual + Math.Max(1, actual / 100));
        }
    }

    [Fact]
    public void Record_MoreKeysThanCapacity_KeepsMemoryBounded()
    {
        var summary = new TopKeysSummary(8);
        for (var i = 0; i < 1000; i++)
        {
            summary.Record($"k{i}");
        }

        Assert.Equal(8, summary.Top(100).Length);
    }

    [Fact]
    public void Record_ZeroCapacity_TracksNothing()
    {
        var summary = new TopKeysSummary(0);

        summary.Record("k");

        Assert.Empty(summary.Top(10));
    }

    [Fact]
    public void Record_Weighted_AddsTheWeight()
    {
        var summary = new TopKeysSummary(4);

        summary.Record("a", 5, "a".GetHashCode());
        summary.Record("a");
        summary.Record("b", 3, "b".GetHashCode());

        Assert.Equal([new KeyFrequency("a", 6), new KeyFrequency("b", 3)], summary.Top(4));
    }

    [Fact]
    public void Record_FullSummary_KeyReadOnceDoesNotDisplaceHeavierKeys()
    {
        var summary = new TopKeysSummary(2);
        for (var i = 0; i < 10; i++)
        {
            summary.Record("heavy1");
            summary.Record("heavy2");
        }

        for (var i = 0; i < 1000; i++)
        {
            summary.Record($"once{i}");
        }

        Assert.Equal([new KeyFrequency("heavy1", 10), new KeyFrequency("heavy2", 10)], summary.Top(2));
    }

    [Fact]
    public void Record_FullSummary_KeyThatBecomesHeavyTakesACounterWithoutUndercounting()
    {
        var summary = new TopKeysSummary(2);
        summary.Record("a", 5, "a".GetHashCode());
        summary.Record("b", 3, "b".GetHashCode());

        for (var i = 0; i < 7; i++)
        {
            summary.Record("late");
        }

        var top = summary.Top(2);
        Assert.Equal("late", top[0].Key);
        Assert.InRange(top[0].Count, 7, 8);
        Assert.Equal(new KeyFrequency("a", 5), top[1]);
    }

    [Fact]
    public void Clear_ForgetsEverything()
    {
        var summary = new TopKeysSummary(4);
        summary.Record("a");

        summary.Clear();
        summary.Record("b");

        Assert.Equal([new KeyFrequency("b", 1)], summary.Top(4));
    }
}
