using Dialogue.Caching.Prewarm;

namespace Dialogue.Caching.Tests.Prewarm;

/// <summary>The stage holds memory for at most its capacity of entries, however long the input is.</summary>
public sealed class PrewarmStageTests
{
    [Fact]
    public void Add_MillionEntriesDistinctAndRepeated_KeepsAtMostCapacityAndBoundedSlots()
    {
        const int capacity = 10;
        var stage = new PrewarmStage(capacity, expectedCount: 1_000_000);

        for (var i = 0; i < 1_000_000; i++)
        {
            // Every third entry repeats a recent key: superseded slots pile up between compactions.
            var key = i % 3 == 0 ? $"k{i / 2}" : $"k{i}";
            stage.Add(new DialogueCacheEntry(key, $"v{i}"));
        }

        Assert.Equal(capacity, stage.Count);
        Assert.Equal(capacity, stage.PeakCount);
        Assert.InRange(stage.PeakSlots, capacity, (2 * capacity) + PrewarmStage.CompactionSlack + 1);
        var staged = stage.Entries().ToList();
        Assert.Equal(capacity, staged.Select(e => e.Key).Distinct().Count());
        Assert.Equal("v999999", staged[^1].Value);
    }

    [Fact]
    public void Add_LaterDuplicate_ReplacesTheEarlierOneAndCountsAsNewer()
    {
        var stage = new PrewarmStage(capacity: 2);

        stage.Add(new DialogueCacheEntry("a", "1"));
        stage.Add(new DialogueCacheEntry("b", "2"));
        stage.Add(new DialogueCacheEntry("a", "3"));
        stage.Add(new DialogueCacheEntry("c", "4"));

        Assert.Equal([("a", "3"), ("c", "4")], stage.Entries().Select(e => (e.Key, e.Value)));
        Assert.Equal(2, stage.PeakCount);
    }
}
