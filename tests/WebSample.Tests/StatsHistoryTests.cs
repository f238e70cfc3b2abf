using Dialogue.Caching;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using WebSample.Dashboard;

namespace WebSample.Tests;

public sealed class StatsHistoryTests : IDisposable
{
    private readonly FakeTimeProvider _clock = new(DateTimeOffset.Parse("2026-01-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
    private readonly DialogueCache _cache;
    private readonly StatsHistory _history;

    public StatsHistoryTests()
    {
        _cache = new DialogueCache(new DialogueCacheOptions(), _clock);
        _history = new StatsHistory(_cache, Options.Create(new DashboardOptions { HistoryLength = 10 }), _clock);
    }

    [Fact]
    public void Sample_First_OnlySetsTheBaseline()
    {
        _history.Sample();

        Assert.Empty(_history.Snapshot());
    }

    [Fact]
    public void Sample_ReadsInInterval_RateAndRatioOfThatInterval()
    {
        _history.Sample();
        _cache.Set("a", "1");
        _cache.Get("a");
        _cache.Get("a");
        _cache.Get("a");
        _cache.Get("missing");
        _clock.Advance(TimeSpan.FromSeconds(2));

        _history.Sample();

        var sample = Assert.Single(_history.Snapshot());
        Assert.Equal((3L, 1L, 2.0, 0.75, 1), (sample.Hits, sample.Misses, sample.RequestsPerSecond, sample.HitRatio!.Value, sample.Entries));
        Assert.Equal(_clock.GetUtcNow(), sample.At);
    }

    [Fact]
    public void Sample_NoReads_NoRatio()
    {
        _history.Sample();
        _clock.Advance(TimeSpan.FromSeconds(1));

        _history.Sample();

        var sample = Assert.Single(_history.Snapshot());
        Assert.Null(sample.HitRatio);
        Assert.Equal(0, sample.RequestsPerSecond);
    }

    [Fact]
    public void Sample_AfterClear_CountsFromTheClear()
    {
        _cache.Set("a", "1");
        for (var i = 0; i < 10; i++)
        {
            _cache.Get("a");
        }

        _history.Sample();
        _cache.Clear();
        _cache.Get("a");
        _clock.Advance(TimeSpan.FromSeconds(1));

        _history.Sample();

        var sample = Assert.Single(_history.Snapshot());
        Assert.Equal((0L, 1L), (sample.Hits, sample.Misses));
    }

    [Fact]
    public void Sample_BeyondHistoryLength_KeepsTheNewest()
    {
        _history.Sample();
        for (var i = 0; i < 15; i++)
        {
            _clock.Advance(TimeSpan.FromSeconds(1));
            _history.Sample();
        }

        var samples = _history.Snapshot();
        Assert.Equal(10, samples.Count);
        Assert.Equal(_clock.GetUtcNow(), samples[^1].At);
    }

    [Fact]
    public async Task Run_OnTheClock_SamplesEveryInterval()
    {
        using var stop = new CancellationTokenSource();
        await _history.StartAsync(stop.Token);

        _cache.Get("x");
        _clock.Advance(TimeSpan.FromSeconds(1));

        // The loop samples on its own thread once the fake clock's tick reaches it: wait for that, bounded.
        Assert.True(SpinWait.SpinUntil(() => _history.Snapshot().Count == 1, TimeSpan.FromSeconds(10)));
        _clock.Advance(TimeSpan.FromSeconds(1));
        Assert.True(SpinWait.SpinUntil(() => _history.Snapshot().Count == 2, TimeSpan.FromSeconds(10)));
        await _history.StopAsync(CancellationToken.None);

        Assert.Equal(1, _history.Snapshot()[0].Misses);
        Assert.Equal(0, _history.Snapshot()[1].Misses);
    }

    public void Dispose()
    {
        _history.Dispose();
        _cache.Dispose();
    }
}
