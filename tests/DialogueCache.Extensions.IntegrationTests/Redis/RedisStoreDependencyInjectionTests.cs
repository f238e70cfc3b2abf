using Dialogue.Caching.IntegrationTests.Redis.Support;
using Dialogue.Caching.Redis;
using Dialogue.Caching.Redis.Internal;
using Microsoft.Extensions.DependencyInjection;

namespace Dialogue.Caching.IntegrationTests.Redis;

/// <summary>
/// The store <c>AddRedisStore</c> registers, used against a real server: from a bare service provider without a
/// host, over a connection the application shares, one store per cache. Runs against Garnet
/// (<see cref="GarnetRedisStoreDependencyInjectionTests"/>) and the redis-server of <c>DIALOGUECACHE_REDIS</c>
/// (<see cref="RedisServerRedisStoreDependencyInjectionTests"/>).
/// </summary>
public abstract class RedisStoreDependencyInjectionTests
{
    private readonly IRedisTestServer _server;
    private readonly string _prefix = $"dct{Guid.NewGuid():N}:";

    protected RedisStoreDependencyInjectionTests(IRedisTestServer server)
    {
        _server = server;
    }

    [SkippableFact]
    public async Task AddRedisStore_BareServiceCollectionWithoutHost_ConnectsOnFirstUse()
    {
        Skip.If(_server.SkipReason is not null, _server.SkipReason);
        var services = new ServiceCollection();
        services.AddDialogueCache().AddRedisStore(_server.Configuration, o => o.KeyPrefix = _prefix);
        await using (var provider = services.BuildServiceProvider())
        {
            provider.GetRequiredService<IDialogueCache>().Set("k", "from a provider without a host");
        }

        await using var reader = await RedisTestNode.StartAsync(_server.Configuration, _prefix);
        Assert.Equal("from a provider without a host", reader.Cache.Get("k"));
    }

    [SkippableFact]
    public async Task ConnectionMultiplexerFactory_SharedConnection_IsUsedAndNotDisposed()
    {
        Skip.If(_server.SkipReason is not null, _server.SkipReason);
        await using var shared = await StackExchange.Redis.ConnectionMultiplexer.ConnectAsync(_server.Configuration);
        var services = new ServiceCollection();
        services.AddDialogueCache().AddRedisStore("unused:1", o =>
        {
            o.KeyPrefix = _prefix;
            o.ConnectionMultiplexerFactory = () => Task.FromResult<StackExchange.Redis.IConnectionMultiplexer>(shared);
        });
        await using (var provider = services.BuildServiceProvider())
        {
            provider.GetRequiredService<IDialogueCache>().Set("k", "v");
        }

        Assert.True(shared.IsConnected);
        await using var reader = await RedisTestNode.StartAsync(_server.Configuration, _prefix);
        Assert.Equal("v", reader.Cache.Get("k"));
    }

    [SkippableFact]
    public void Attach_SecondCache_Throws()
    {
        Skip.If(_server.SkipReason is not null, _server.SkipReason);
        using var store = new RedisDialogueCacheStore(new RedisStoreOptions { Configuration = _server.Configuration, KeyPrefix = _prefix });
        using var first = new DialogueCache(new DialogueCacheOptions(), store);

        Assert.Throws<InvalidOperationException>(() => new DialogueCache(new DialogueCacheOptions(), store));
    }
}
