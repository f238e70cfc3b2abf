using System.Diagnostics.Metrics;
using Dialogue.Caching.AI;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Dialogue.Caching.Tests.AI;

public sealed class ChatSavingsTests : IDisposable
{
    private readonly ServiceProvider _services = new ServiceCollection().AddMetrics().BuildServiceProvider();
    private readonly FakeTimeProvider _time = new();
    private readonly DialogueCache _cache;
    private readonly FakeChatClient _model;
    private readonly DialogueCachingChatClient _client;

    public ChatSavingsTests()
    {
        _cache = new DialogueCache(Options.Create(new DialogueCacheOptions { Name = "npc" }), _time, loggerFactory: null,
            _services.GetRequiredService<IMeterFactory>());
        _model = new FakeChatClient { Time = _time, Latency = TimeSpan.FromMilliseconds(1500) };
        _client = new DialogueCachingChatClient(_model, _cache, _time);
    }

    public void Dispose()
    {
        _client.Dispose();
        _cache.Dispose();
        _services.Dispose();
    }

    [Fact]
    public async Task GetResponseAsync_Hits_AddTheStoredUsageAndLatencyToAnalytics()
    {
        await Ask();

        await Ask();
        await Ask();

        var stats = _cache.Analytics();
        Assert.Equal(24, stats.InputTokensSaved);
        Assert.Equal(68, stats.OutputTokensSaved);
        Assert.Equal(TimeSpan.FromSeconds(3), stats.LatencySaved);
    }

    [Fact]
    public async Task GetResponseAsync_Miss_RecordsNoSavings()
    {
        await Ask();

        var stats = _cache.Analytics();
        Assert.Equal(0, stats.InputTokensSaved);
        Assert.Equal(0, stats.OutputTokensSaved);
        Assert.Equal(TimeSpan.Zero, stats.LatencySaved);
    }

    [Fact]
    public async Task GetResponseAsync_Hit_AddsTokensToTheTokensSavedCounterByType()
    {
        using var tokens = Collector<long>("dialogue.tokens.saved");
        await Ask();

        await Ask();

        var measurements = tokens.GetMeasurementSnapshot();
        Assert.Equal(12, measurements.Where(m => Equals(m.Tags["token.type"], "input")).Sum(m => m.Value));
        Assert.Equal(34, measurements.Where(m => Equals(m.Tags["token.type"], "output")).Sum(m => m.Value));
        Assert.All(measurements, m => Assert.Equal("npc", m.Tags["cache.name"]));
    }

    [Fact]
    public async Task GetResponseAsync_Hit_AddsTheAvoidedModelLatencyToTheLatencySavedCounter()
    {
        using var latency = Collector<double>("dialogue.latency.saved");
        await Ask();

        await Ask();

        Assert.Equal(1.5, Assert.Single(latency.GetMeasurementSnapshot()).Value, 6);
    }

    [Fact]
    public async Task GetStreamingResponseAsync_Hit_RecordsSavingsToo()
    {
        using var tokens = Collector<long>("dialogue.tokens.saved");
        await AskStreaming();

        await AskStreaming();

        Assert.Equal(46, tokens.GetMeasurementSnapshot().Sum(m => m.Value));
        Assert.Equal(TimeSpan.FromMilliseconds(1500), _cache.Analytics().LatencySaved);
    }

    [Fact]
    public async Task GetResponseAsync_CoalescedCaller_IsNotCountedAsSavings()
    {
        _model.Hold = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var first = Ask();
        var second = Ask();

        _model.Hold.SetResult();
        await Task.WhenAll(first, second);

        Assert.Equal(0, _cache.Analytics().OutputTokensSaved);
    }

    [Fact]
    public async Task GetResponseAsync_ResponseWithoutUsage_SavesLatencyOnly()
    {
        _model.Usage = null;
        await Ask();

        await Ask();

        var stats = _cache.Analytics();
        Assert.Equal(0, stats.InputTokensSaved + stats.OutputTokensSaved);
        Assert.Equal(TimeSpan.FromMilliseconds(1500), stats.LatencySaved);
    }

    [Fact]
    public async Task GetResponseAsync_Clear_ResetsTheSavings()
    {
        await Ask();
        await Ask();

        _cache.Clear();

        Assert.Equal(0, _cache.Analytics().OutputTokensSaved);
    }

    private Task<ChatResponse> Ask() => _client.GetResponseAsync(Chat.Conversation("Can you fix my sword?"));

    private async Task AskStreaming()
    {
        await foreach (var update in _client.GetStreamingResponseAsync(Chat.Conversation("Can you fix my sword?")))
        {
            Assert.NotNull(update);
        }
    }

    private MetricCollector<T> Collector<T>(string instrument)
        where T : struct => new(_services.GetRequiredService<IMeterFactory>(), DialogueCache.MeterName, instrument);
}
