using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Dialogue.Caching.Tests.Analytics;

public sealed class MetricsTests : IDisposable
{
    private readonly ServiceProvider _services;
    private readonly IMeterFactory _meterFactory;
    private readonly FakeTimeProvider _time = new();

    public MetricsTests()
    {
        _services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        _meterFactory = _services.GetRequiredService<IMeterFactory>();
    }

    public void Dispose() => _services.Dispose();

    [Fact]
    public void Requests_HitsAndMisses_AreCountedWithTypeAndCacheName()
    {
        using var collector = Collector<long>("cache.requests");
        using var cache = NewCache("npc");
        cache.Set("a", "1");

        cache.Get("a");
        cache.Get("a");
        cache.Get("b");

        var measurements = collector.GetMeasurementSnapshot();
        Assert.Equal(2, measurements.ContainsTags("cache.request.type").Count(m => Equals(m.Tags["cache.request.type"], "hit")));
        Assert.Equal(1, measurements.Count(m => Equals(m.Tags["cache.request.type"], "miss")));
        Assert.All(measurements, m => Assert.Equal("npc", m.Tags["cache.name"]));
        Assert.All(measurements, m => Assert.DoesNotContain(m.Tags.Values, v => Equals(v, "a") || Equals(v, "b")));
    }

    [Fact]
    public void Evictions_AreCountedByReason()
    {
        using var collector = Collector<long>("cache.evictions");
        using var cache = NewCache("npc", maxSize: 2);
        cache.Set("a", "1");
        cache.Set("b", "2");
        cache.Set("c", "3");                                   // capacity: a
        cache.Set("short", "4", TimeSpan.FromSeconds(1));      // capacity: b
        _time.Advance(TimeSpan.FromSeconds(2));
        cache.Get("short");                                    // expired
        cache.Invalidate("c");                                 // removed
        cache.Set("d", "5");
        cache.Clear();                                         // cleared: d

        var byReason = collector.GetMeasurementSnapshot()
            .GroupBy(m => (string)m.Tags["cache.eviction.reason"]!)
            .ToDictionary(g => g.Key, g => g.Sum(m => m.Value));

        Assert.Equal(2, byReason["capacity"]);
        Assert.Equal(1, byReason["expired"]);
        Assert.Equal(1, byReason["removed"]);
        Assert.Equal(1, byReason["cleared"]);
    }

    [Fact]
    public void EntriesAndHitRatio_AreObservedFromTheCache()
    {
        using var entries = Collector<long>("cache.entries");
        using var ratio = Collector<double>("cache.hit_ratio");
        using var cache = NewCache("npc");
        cache.Set("a", "1");
        cache.Set("b", "2");
        cache.Get("a");
        cache.Get("zzz");

        entries.RecordObservableInstruments();
        ratio.RecordObservableInstruments();

        Assert.Equal(2, entries.LastMeasurement!.Value);
        Assert.Equal("npc", entries.LastMeasurement.Tags["cache.name"]);
        Assert.Equal(0.5, ratio.LastMeasurement!.Value);
    }

    [Fact]
    public async Task GenerationDurationAndCoalesced_AreRecordedForFactoryCalls()
    {
        using var duration = Collector<double>("dialogue.generation.duration");
        using var coalesced = Collector<long>("dialogue.generation.coalesced");
        using var cache = NewCache("npc");
        var release = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        Func<string, CancellationToken, ValueTask<string>> factory = (_, _) => new ValueTask<string>(release.Task);

        var first = cache.GetOrCreateAsync("k", factory).AsTask();
        var second = cache.GetOrCreateAsync("k", factory).AsTask();
        _time.Advance(TimeSpan.FromMilliseconds(400));
        release.SetResult("v");
        await Task.WhenAll(first, second);

        var recorded = Assert.Single(duration.GetMeasurementSnapshot());
        Assert.Equal(0.4, recorded.Value, 3);
        Assert.Equal("npc", recorded.Tags["cache.name"]);
        Assert.Equal(1, Assert.Single(coalesced.GetMeasurementSnapshot()).Value);
    }

    [Fact]
    public void Meter_IsNamedDialogueCache()
    {
        using var cache = NewCache("npc");
        var instruments = new List<Instrument>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, _) =>
        {
            if (instrument.Meter.Scope == _meterFactory)
            {
                instruments.Add(instrument);
            }
        };
        listener.Start();

        Assert.All(instruments, i => Assert.Equal(DialogueCache.MeterName, i.Meter.Name));
        Assert.Equal(
            ["cache.entries", "cache.evictions", "cache.hit_ratio", "cache.requests", "cache.store.errors", "cache.store.requests",
             "dialogue.generation.coalesced", "dialogue.generation.duration", "dialogue.latency.saved", "dialogue.tokens.saved"],
            instruments.Select(i => i.Name).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void TokensAndLatencySaved_AreRecordedByTokenType()
    {
        using var tokens = Collector<long>("dialogue.tokens.saved");
        using var latency = Collector<double>("dialogue.latency.saved");
        using var cache = NewCache("npc");

        cache.RecordSavings(120, 30, TimeSpan.FromMilliseconds(250));

        var byType = tokens.GetMeasurementSnapshot().ToDictionary(m => (string)m.Tags["token.type"]!, m => m.Value);
        Assert.Equal(120, byType["input"]);
        Assert.Equal(30, byType["output"]);
        Assert.Equal(0.25, Assert.Single(latency.GetMeasurementSnapshot()).Value, 6);
    }

    [Fact]
    public void RecordGenerationAndCoalescedCall_CountLikeFactoryCalls()
    {
        using var duration = Collector<double>("dialogue.generation.duration");
        using var coalesced = Collector<long>("dialogue.generation.coalesced");
        using var cache = NewCache("npc");

        cache.RecordGeneration(TimeSpan.FromMilliseconds(300));
        cache.RecordCoalescedCall();
        cache.RecordCoalescedCall();

        Assert.Equal(0.3, Assert.Single(duration.GetMeasurementSnapshot()).Value, 6);
        Assert.Equal(2, coalesced.GetMeasurementSnapshot().Sum(m => m.Value));
        Assert.Equal(1, cache.Analytics().FactoryCalls);
        Assert.Equal(2, cache.Analytics().CoalescedCalls);
        Assert.Equal("duration", Assert.Throws<ArgumentOutOfRangeException>(() => cache.RecordGeneration(TimeSpan.FromTicks(-1))).ParamName);
    }

    private MetricCollector<T> Collector<T>(string instrument)
        where T : struct => new(_meterFactory, DialogueCache.MeterName, instrument);

    private DialogueCache NewCache(string name, int maxSize = 100) => new(
        Options.Create(new DialogueCacheOptions { Name = name, MaxSize = maxSize }), _time, loggerFactory: null, _meterFactory);
}
