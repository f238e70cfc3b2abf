using Dialogue.Caching.IntegrationTests.Redis.Support;
using Dialogue.Caching.IntegrationTests.Support;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Caching.Hybrid;
using Microsoft.Extensions.DependencyInjection;

namespace Dialogue.Caching.IntegrationTests.Faces;

/// <summary>
/// The chat middleware (<c>UseDialogueCache</c>) and the HybridCache face (<c>AsHybridCache</c>) on two nodes sharing
/// a Redis tier: node B serves what node A cached without calling its own model or factory, and invalidations on A
/// (by pattern, through the face) reach B's memory. Runs against Garnet (<see cref="GarnetFacesOverRedisTests"/>)
/// and the redis-server of <c>DIALOGUECACHE_REDIS</c> (<see cref="RedisServerFacesOverRedisTests"/>).
/// </summary>
public abstract class FacesOverRedisTests
{
    private readonly IRedisTestServer _server;
    private readonly string _prefix = $"dct{Guid.NewGuid():N}:";

    protected FacesOverRedisTests(IRedisTestServer server)
    {
        _server = server;
    }

    [SkippableFact]
    public async Task ChatResponse_CachedOnNodeA_IsServedByNodeBAndAPatternInvalidationOnAReachesB()
    {
        var modelA = new ScriptedChatClient(_ => "Welcome to the forge, traveller.");
        var modelB = new ScriptedChatClient(call => $"A fresh answer from B's model ({call}).");
        await using var a = await NodeAsync(modelA);
        await using var b = await NodeAsync(modelB);
        var chatA = a.Services.GetRequiredService<IChatClient>();
        var chatB = b.Services.GetRequiredService<IChatClient>();

        Assert.Equal("Welcome to the forge, traveller.", (await chatA.GetResponseAsync(ChatConversation.Hello(), ChatConversation.Options())).Text);
        await b.CaughtUpWithAsync(a);

        Assert.Equal("Welcome to the forge, traveller.", (await chatB.GetResponseAsync(ChatConversation.Hello(), ChatConversation.Options())).Text);
        Assert.Equal("Welcome to the forge, traveller.", (await chatB.GetResponseAsync(ChatConversation.Hello(), ChatConversation.Options())).Text);
        Assert.Equal((1, 0), (modelA.Calls, modelB.Calls));
        Assert.Equal(1, b.Cache.Analytics().StoreHits); // once from Redis, then from B's memory
        Assert.Equal(1, b.Cache.Count);

        // The character segment of the key is readable: invalidate the smith's lines everywhere.
        Assert.Equal(1, a.Cache.InvalidatePattern(ChatConversation.Character + "|"));

        await Eventually.AssertAsync(() => b.Cache.Count == 0, "node B drops its copy");
        Assert.Equal("A fresh answer from B's model (1).", (await chatB.GetResponseAsync(ChatConversation.Hello(), ChatConversation.Options())).Text);
        Assert.Equal(1, modelB.Calls);
        Assert.Empty(a.StoreErrors);
        Assert.Empty(b.StoreErrors);
    }

    [SkippableFact]
    public async Task HybridCache_ValueMadeOnNodeA_IsServedByNodeBAndItsRemovalOnAReachesB()
    {
        await using var a = await NodeAsync(ScriptedChatClient.MustNotBeCalled());
        await using var b = await NodeAsync(ScriptedChatClient.MustNotBeCalled());
        var hybridA = a.Services.GetRequiredService<HybridCache>();
        var hybridB = b.Services.GetRequiredService<HybridCache>();
        const string Key = "npc:smith|greeting";

        var made = await hybridA.GetOrCreateAsync(Key, _ => ValueTask.FromResult(new Greeting("Hail, friend.", 3)));
        await b.CaughtUpWithAsync(a);
        var shared = await hybridB.GetOrCreateAsync<Greeting>(Key, _ => throw new InvalidOperationException("B's factory must not run."));

        Assert.Equal(made, shared);
        Assert.Equal(1, b.Cache.Analytics().StoreHits);
        Assert.Equal(1, b.Cache.Count);

        await hybridA.RemoveAsync(Key);

        await Eventually.AssertAsync(() => b.Cache.Count == 0, "node B drops its copy");
        var remade = await hybridB.GetOrCreateAsync(Key, _ => ValueTask.FromResult(new Greeting("Back again?", 1)));
        Assert.Equal(new Greeting("Back again?", 1), remade);

        // And an InvalidatePattern on A drops what B made.
        await a.CaughtUpWithAsync(b);
        Assert.Equal(new Greeting("Back again?", 1), await hybridA.GetOrCreateAsync<Greeting>(Key, _ => throw new InvalidOperationException("A reads B's value.")));
        a.Cache.InvalidatePattern("npc:smith|");
        await Eventually.AssertAsync(() => b.Cache.Count == 0, "node B drops its copy after the pattern invalidation");
        Assert.Empty(a.StoreErrors);
        Assert.Empty(b.StoreErrors);
    }

    private Task<RedisTestNode> NodeAsync(IChatClient model)
    {
        Skip.If(_server.SkipReason is not null, _server.SkipReason);
        return RedisTestNode.StartAsync(_server.Configuration, _prefix, extend: cache =>
        {
            cache.AsHybridCache();
            cache.Services.AddChatClient(model).UseDialogueCache();
        });
    }
}
