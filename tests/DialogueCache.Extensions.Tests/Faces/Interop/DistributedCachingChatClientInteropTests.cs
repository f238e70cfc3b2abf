using Microsoft.Extensions.AI;
using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Dialogue.Caching.Tests.Faces.Interop;

/// <summary>
/// Microsoft.Extensions.AI's own caching middleware, <see cref="DistributedCachingChatClient"/>, with DialogueCache as
/// its <see cref="IDistributedCache"/>: a real consumer of the face, not our own calls.
/// </summary>
public sealed class DistributedCachingChatClientInteropTests : IDisposable
{
    private readonly CountingChatClient _model = new();
    private readonly ServiceProvider _services;
    private readonly IChatClient _client;
    private readonly DialogueCache _cache;

    public DistributedCachingChatClientInteropTests()
    {
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(new FakeTimeProvider());
        services.AddDialogueCache();
        services.AddSingleton<IDistributedCache>(sp => sp.GetRequiredService<DialogueCache>());
        services.AddChatClient(_model).UseDistributedCache();
        _services = services.BuildServiceProvider();
        _client = _services.GetRequiredService<IChatClient>();
        _cache = _services.GetRequiredService<DialogueCache>();
    }

    public void Dispose() => _services.Dispose();

    [Fact]
    public async Task GetResponseAsync_SameRequestTwice_CallsTheModelOnce()
    {
        var first = await _client.GetResponseAsync("Where is the forge?");
        var second = await _client.GetResponseAsync("Where is the forge?");

        Assert.Equal(1, _model.Calls);
        Assert.Equal("Reply to: Where is the forge?", first.Text);
        Assert.Equal(first.Text, second.Text);
        Assert.IsType<DistributedCachingChatClient>(_client.GetService(typeof(DistributedCachingChatClient)));
        var stats = _cache.Analytics();
        Assert.Equal((1, 1), (stats.Hits, stats.Misses));
        Assert.Equal(1, stats.CurrentSize);
    }

    [Fact]
    public async Task GetResponseAsync_DifferentRequests_EachCallTheModel()
    {
        await _client.GetResponseAsync("Where is the forge?");
        await _client.GetResponseAsync("Where is the inn?");
        await _client.GetResponseAsync([new ChatMessage(ChatRole.System, "You are a smith."), new ChatMessage(ChatRole.User, "Where is the forge?")]);

        Assert.Equal(3, _model.Calls);
    }

    [Fact]
    public async Task GetStreamingResponseAsync_SameRequestTwice_StreamsFromTheModelOnceAndReplays()
    {
        var first = await _client.GetStreamingResponseAsync("Sing a song").ToChatResponseAsync();
        var second = await _client.GetStreamingResponseAsync("Sing a song").ToChatResponseAsync();

        Assert.Equal(1, _model.StreamingCalls);
        Assert.Equal(0, _model.Calls);
        Assert.Equal("Reply to: Sing a song", first.Text.Trim());
        Assert.Equal(first.Text, second.Text);
        Assert.Equal(1, _cache.Analytics().Hits);
    }

    [Fact]
    public async Task GetResponseAsync_CacheClearedBetweenCalls_CallsTheModelAgain()
    {
        await _client.GetResponseAsync("Where is the forge?");

        _cache.Clear();
        await _client.GetResponseAsync("Where is the forge?");

        Assert.Equal(2, _model.Calls);
    }
}
