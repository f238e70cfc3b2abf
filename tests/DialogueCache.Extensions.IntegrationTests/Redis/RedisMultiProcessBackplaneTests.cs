using Dialogue.Caching.IntegrationTests.Redis.Support;

namespace Dialogue.Caching.IntegrationTests.Redis;

/// <summary>
/// Two application servers in two OS processes sharing one Redis server (Garnet in this process, which the other
/// process reaches over loopback, in <see cref="GarnetMultiProcessBackplaneTests"/>; the redis-server of
/// <c>DIALOGUECACHE_REDIS</c> in <see cref="RedisServerMultiProcessBackplaneTests"/>): what one writes or
/// invalidates, the other sees.
/// </summary>
public abstract class RedisMultiProcessBackplaneTests
{
    private readonly IRedisTestServer _server;
    private readonly string _prefix = $"dct{Guid.NewGuid():N}:";

    protected RedisMultiProcessBackplaneTests(IRedisTestServer server)
    {
        _server = server;
    }

    [SkippableFact]
    public async Task TwoProcesses_WritesAndInvalidations_ReachTheOtherProcessMemoryTier()
    {
        Skip.If(_server.SkipReason is not null, _server.SkipReason);
        await using var here = await RedisTestNode.StartAsync(_server.Configuration, _prefix);
        await using var there = await RedisNodeProcess.StartAsync(_server.Configuration, _prefix);
        Assert.NotEqual(Environment.ProcessId, there.ProcessId);

        // Shared second tier, then the other process keeps its own memory copy.
        here.Cache.Set("npc:smith|forge|t:hello", "v1");
        await here.FlushAsync();
        Assert.Equal("value v1", await there.SendAsync("get npc:smith|forge|t:hello"));

        // A write here drops the copy there: without the backplane it would serve v1 for the whole TTL.
        here.Cache.Set("npc:smith|forge|t:hello", "v2");
        Assert.True(await Eventually.HoldsAsync(async () => await there.SendAsync("get npc:smith|forge|t:hello") == "value v2"), "the other process reads v2");

        // And the other way round: the other process writes, invalidates by pattern, clears.
        Assert.Equal("ok", await there.SendAsync("set npc:baker|shop|t:bread fresh"));
        Assert.Equal("fresh", here.Cache.Get("npc:baker|shop|t:bread"));
        Assert.Equal("ok", await there.SendAsync("pattern npc:baker|"));
        await Eventually.AssertAsync(() => here.Cache.Get("npc:baker|shop|t:bread") is null, "the pattern invalidation reaches this process");
        Assert.Equal("v2", here.Cache.Get("npc:smith|forge|t:hello"));
        Assert.Equal("ok", await there.SendAsync("clear"));
        await Eventually.AssertAsync(() => here.Cache.Count == 0, "the clear reaches this process");
        Assert.Null(here.Cache.Get("npc:smith|forge|t:hello"));
    }
}
