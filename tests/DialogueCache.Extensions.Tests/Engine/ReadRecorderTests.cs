using Dialogue.Caching.Engine;

namespace Dialogue.Caching.Tests.Engine;

/// <summary>Hit counting and recency stamps: exact counts, strictly increasing stamps on one thread, writes ordered.</summary>
public sealed class ReadRecorderTests
{
    [Fact]
    public void Record_OneThreadClockStandingStill_StampsStrictlyIncrease()
    {
        var recorder = new ReadRecorder(origin: 0);
        var nodes = Enumerable.Range(0, 500).Select(i => new CacheNode($"k{i}", "v", long.MaxValue)).ToList();

        foreach (var node in nodes)
        {
            recorder.Record(node, now: 0);
        }

        Assert.True(nodes.Zip(nodes.Skip(1)).All(pair => pair.First.Stamp < pair.Second.Stamp));
    }

    [Fact]
    public void Record_MarksTheNodeTouchedAndCountsItsReads()
    {
        var recorder = new ReadRecorder(origin: 0);
        var node = new CacheNode("k", "v", long.MaxValue);

        recorder.Record(node, now: 0);
        recorder.Record(node, now: 0);

        Assert.True(node.Touched);
        Assert.Equal(2, node.Reads);
        Assert.Equal(2, recorder.Hits());
    }

    [Fact]
    public void NextWriteStamp_BetweenHits_OrdersHitWriteHit()
    {
        var recorder = new ReadRecorder(origin: 0);
        var before = new CacheNode("a", "v", long.MaxValue);
        var after = new CacheNode("b", "v", long.MaxValue);

        recorder.Record(before, now: 0);
        var write = recorder.NextWriteStamp(now: 0);
        recorder.Record(after, now: 0);

        Assert.True(before.Stamp < write);
        Assert.True(write < after.Stamp);
    }

    [Fact]
    public async Task Stamps_AcrossThreadsClockStandingStill_AgreeToWithinThePublishingStep()
    {
        var recorder = new ReadRecorder(origin: 0);
        var node = new CacheNode("k", "v", long.MaxValue);
        for (var i = 0; i < 1_000; i++)
        {
            recorder.Record(node, now: 0);
        }

        var write = await Task.Factory.StartNew(() => recorder.NextWriteStamp(now: 0), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        var reader = new CacheNode("r", "v", long.MaxValue);
        await Task.Factory.StartNew(() => recorder.Record(reader, now: 0), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

        // The other thread's reads are known to the writer up to its last published stamp.
        Assert.True(write > node.Stamp - ReadRecorder.PublishEvery, $"write {write}, reads up to {node.Stamp}");
        Assert.True(reader.Stamp > write);
    }

    [Fact]
    public void Record_ClockMoved_StampsFollowTheClock()
    {
        var recorder = new ReadRecorder(origin: 1_000);
        var early = new CacheNode("early", "v", long.MaxValue);
        for (var i = 0; i < 10_000; i++)
        {
            recorder.Record(early, now: 1_000);
        }

        var stampsOfOneTick = early.Stamp;
        var late = new CacheNode("late", "v", long.MaxValue);
        recorder.Record(late, now: 1_001);

        Assert.True(late.Stamp > stampsOfOneTick);
    }

    [Fact]
    public void Record_ClockFarBeyondTheOrigin_SaturatesWithoutOverflow()
    {
        var recorder = new ReadRecorder(origin: 0);
        var node = new CacheNode("k", "v", long.MaxValue);

        recorder.Record(node, now: long.MaxValue);
        var first = node.Stamp;
        recorder.Record(node, now: long.MaxValue);

        Assert.True(first > 0);
        Assert.True(node.Stamp > first);
    }

    [Fact]
    public void Hits_ManyThreadsOnFewStripes_CountIsExact()
    {
        const int Threads = 16;
        const int PerThread = 100_000;
        var recorder = new ReadRecorder(origin: 0);
        var node = new CacheNode("k", "v", long.MaxValue);

        var threads = Enumerable.Range(0, Threads).Select(_ => new Thread(() =>
        {
            for (var i = 0; i < PerThread; i++)
            {
                recorder.Record(node, now: 0);
            }

            recorder.AddHits(1);
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());

        Assert.Equal((Threads * PerThread) + Threads, recorder.Hits());
    }
}
