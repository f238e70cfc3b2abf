using Dialogue.Caching.Engine;

namespace Dialogue.Caching.Tests.Engine;

public sealed class RequestBufferTests
{
    [Fact]
    public void DrainTo_OneThread_ReturnsRequestsInOrderWithTheirHashes()
    {
        var buffer = new RequestBuffer(stripes: 8);
        for (var i = 0; i < RequestBuffer.StripeCapacity; i++)
        {
            Assert.True(buffer.TryAdd($"r{i}", i * 7));
        }

        var drained = new RequestBuffer.Request[buffer.Capacity];
        var count = buffer.DrainTo(drained);

        Assert.Equal(RequestBuffer.StripeCapacity, count);
        for (var i = 0; i < count; i++)
        {
            Assert.Equal($"r{i}", drained[i].Item);
            Assert.Equal(i * 7, drained[i].Hash);
        }
    }

    [Fact]
    public void TryAdd_FullStripe_RefusesUntilDrained()
    {
        var buffer = new RequestBuffer(stripes: 1);
        for (var i = 0; i < RequestBuffer.StripeCapacity; i++)
        {
            Assert.True(buffer.TryAdd($"r{i}", i));
        }

        Assert.False(buffer.TryAdd("overflow", 0));
        Assert.Equal(RequestBuffer.StripeCapacity, buffer.DrainTo(new RequestBuffer.Request[buffer.Capacity]));
        Assert.True(buffer.TryAdd("after drain", 0));
    }

    [Fact]
    public async Task TryAdd_ManyThreadsOneStripe_NothingAcceptedIsLostOrDuplicated()
    {
        var buffer = new RequestBuffer(stripes: 1);
        var accepted = new int[8];
        var drained = new List<string>();
        var scratch = new RequestBuffer.Request[buffer.Capacity];
        using var done = new CancellationTokenSource();

        var producers = Enumerable.Range(0, 8).Select(t => Task.Run(() =>
        {
            for (var i = 0; i < 50_000; i++)
            {
                if (buffer.TryAdd($"{t}:{i}", t))
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
                drained.AddRange(scratch.Take(count).Select(r => (string)r.Item!));
            }
        });

        await Task.WhenAll(producers);
        await done.CancelAsync();
        await consumer;
        var rest = buffer.DrainTo(scratch);
        drained.AddRange(scratch.Take(rest).Select(r => (string)r.Item!));

        Assert.Equal(accepted.Sum(), drained.Count);
        Assert.Equal(drained.Count, drained.Distinct().Count());
        Assert.All(drained, key => Assert.True(int.Parse(key.Split(':')[0], System.Globalization.CultureInfo.InvariantCulture) is >= 0 and < 8));
    }
}
