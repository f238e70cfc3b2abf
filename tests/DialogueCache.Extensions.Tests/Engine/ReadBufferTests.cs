using Dialogue.Caching.Engine;

namespace Dialogue.Caching.Tests.Engine;

public sealed class ReadBufferTests
{
    [Fact]
    public void DrainTo_OneThread_ReturnsItemsInOrder()
    {
        var buffer = new ReadBuffer(stripes: 8);
        var items = Enumerable.Range(0, ReadBuffer.StripeCapacity).Select(i => (object)$"r{i}").ToArray();
        foreach (var item in items)
        {
            Assert.True(buffer.TryAdd(item));
        }

        var drained = new object?[buffer.Capacity];
        var count = buffer.DrainTo(drained);

        Assert.Equal(items, drained.Take(count));
    }

    [Fact]
    public void TryAdd_FullStripe_RefusesUntilDrained()
    {
        var buffer = new ReadBuffer(stripes: 1);
        for (var i = 0; i < ReadBuffer.StripeCapacity; i++)
        {
            Assert.True(buffer.TryAdd(i));
        }

        Assert.False(buffer.TryAdd("overflow"));
        Assert.Equal(ReadBuffer.StripeCapacity, buffer.DrainTo(new object?[buffer.Capacity]));
        Assert.True(buffer.TryAdd("after drain"));
    }

    [Fact]
    public async Task TryAdd_ManyThreads_NothingAcceptedIsLostOrDuplicated()
    {
        var buffer = new ReadBuffer(stripes: 4);
        var accepted = new int[8];
        var drained = new List<object>();
        var scratch = new object?[buffer.Capacity];
        using var done = new CancellationTokenSource();

        var producers = Enumerable.Range(0, 8).Select(t => Task.Run(() =>
        {
            for (var i = 0; i < 50_000; i++)
            {
                if (buffer.TryAdd((t, i)))
                {
                    accepted[t]++;
                }
            }
        })).ToArray();
        var consumer = Task.Run(() =>
        {
            while (!done.IsCancellationRequested)
            {
                var count = buffer.DrainTo(scratch);
                drained.AddRange(scratch.Take(count)!);
            }
        });

        await Task.WhenAll(producers);
        await done.CancelAsync();
        await consumer;
        var rest = buffer.DrainTo(scratch);
        drained.AddRange(scratch.Take(rest)!);

        Assert.Equal(accepted.Sum(), drained.Count);
        Assert.Equal(drained.Count, drained.Distinct().Count());
    }
}
