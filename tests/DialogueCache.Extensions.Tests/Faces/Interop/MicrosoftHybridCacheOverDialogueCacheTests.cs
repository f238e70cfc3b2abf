using Dialogue.Caching.Tests.Support;
using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Caching.Hybrid;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Dialogue.Caching.Tests.Faces.Interop;

/// <summary>
/// Microsoft's default HybridCache (<c>AddHybridCache()</c>) with DialogueCache registered as its IDistributedCache
/// (its L2): each HybridCache instance here is one server with its own L1, all sharing the one DialogueCache.
/// </summary>
public sealed class MicrosoftHybridCacheOverDialogueCacheTests : IDisposable
{
    private readonly FakeTimeProvider _time = new();
    private readonly DialogueCache _shared;
    private readonly List<ServiceProvider> _servers = [];

    public MicrosoftHybridCacheOverDialogueCacheTests()
    {
        _shared = new DialogueCache(new DialogueCacheOptions(), _time);
    }

    public void Dispose()
    {
        _servers.ForEach(s => s.Dispose());
        _shared.Dispose();
    }

    [Fact]
    public async Task GetOrCreateAsync_SecondServerWithAFreshL1_ReadsTheValueFromDialogueCache()
    {
        var calls = 0;
        var first = await NewServer().GetOrCreateAsync("npc:smith|forge|t:hello", _ => ValueTask.FromResult(new Reply { Text = $"Welcome {++calls}" }));

        var second = await NewServer().GetOrCreateAsync("npc:smith|forge|t:hello", _ => ValueTask.FromResult(new Reply { Text = $"Welcome {++calls}" }));

        Assert.Equal(1, calls);
        Assert.Equal("Welcome 1", first.Text);
        Assert.Equal("Welcome 1", second.Text);
        Assert.Equal(1, _shared.Analytics().Hits);
        Assert.Contains(_shared.Analytics().MostFrequentlyRequested, k => k is { Key: "npc:smith|forge|t:hello", Count: 2 });
    }

    [Fact]
    public async Task SetAsync_Expiration_IsHonouredByDialogueCache()
    {
        await NewServer().SetAsync("k", "v", new HybridCacheEntryOptions { Expiration = TimeSpan.FromMinutes(1) });

        _time.Advance(TimeSpan.FromSeconds(59));
        Assert.Equal("v", await NewServer().GetOrCreateAsync("k", _ => ValueTask.FromResult("fresh")));
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal("fresh", await NewServer().GetOrCreateAsync("k", _ => ValueTask.FromResult("fresh")));
    }

    [Fact]
    public async Task RemoveByTagAsync_OnOneServer_IsSeenByAServerStartedLater()
    {
        var first = NewServer();
        await first.SetAsync("k", "v", tags: ["npc"]);
        _time.Advance(TimeSpan.FromSeconds(1));

        await first.RemoveByTagAsync("npc");

        Assert.Equal("fresh", await NewServer().GetOrCreateAsync("k", _ => ValueTask.FromResult("fresh")));
    }

    [Fact]
    public async Task RemoveAsync_OnOneServer_RemovesTheEntryFromDialogueCache()
    {
        await NewServer().SetAsync("k", "v");

        await NewServer().RemoveAsync("k");

        Assert.Null(((IDistributedCache)_shared).Get("k"));
        Assert.Equal("fresh", await NewServer().GetOrCreateAsync("k", _ => ValueTask.FromResult("fresh")));
    }

    private HybridCache NewServer()
    {
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(_time);
        services.AddMemoryCache(o => o.Clock = new FakeSystemClock(_time));
        services.AddSingleton<IDistributedCache>(_shared);
        services.AddHybridCache();
        var provider = services.BuildServiceProvider();
        _servers.Add(provider);
        return provider.GetRequiredService<HybridCache>();
    }
}
