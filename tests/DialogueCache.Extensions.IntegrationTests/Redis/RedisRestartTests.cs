using Dialogue.Caching.IntegrationTests.Redis.Support;

namespace Dialogue.Caching.IntegrationTests.Redis;

/// <summary>
/// A real outage: a server of the test's own is stopped and started again on the same port (empty, as a
/// restarted cache server is), or is not there yet when the application starts. Runs against Garnet in this
/// process (<see cref="GarnetRestartTests"/>) and a redis-server child process (<see cref="RedisServerRestartTests"/>,
/// when <c>DIALOGUECACHE_REDIS</c> says the machine has one); the shared redis-server of CI is never stopped.
/// </summary>
public abstract class RedisRestartTests : IDisposable
{
    private readonly IRestartableRedisTestServer _server;
    private readonly string _prefix = $"dct{Guid.NewGuid():N}:";

    /// <param name="server">A server of this test's own, not started yet.</param>
    protected RedisRestartTests(IRestartableRedisTestServer server)
    {
        _server = server;
    }

    public void Dispose()
    {
        _server.Dispose();
        GC.SuppressFinalize(this);
    }

    [SkippableFact]
    public async Task Restart_NodesServeFromMemoryWhileDownThenReconnectDropCopiesAndResubscribe()
    {
        Skip.If(_server.SkipReason is not null, _server.SkipReason);
        _server.Start();
        await using var a = await RedisTestNode.StartAsync(_server.Configuration, _prefix);
        await using var b = await RedisTestNode.StartAsync(_server.Configuration, _prefix);
        a.Cache.Set("k", "v");
        await a.FlushAsync();
        Assert.Equal("v", b.Cache.Get("k"));

        _server.Shutdown();
        await Eventually.AssertAsync(() => a.Store.IsCircuitOpen && b.Store.IsCircuitOpen, "both nodes notice the outage");
        Assert.Equal("v", a.Cache.Get("k"));
        Assert.Equal("v", b.Cache.Get("k"));
        a.Cache.Set("written-while-down", "w");
        Assert.Null(b.Cache.Get("absent"));
        Assert.Contains(a.StoreErrors, m => (string)m.Tags["operation"]! == "set");
        Assert.Contains(b.StoreErrors, m => (string)m.Tags["operation"]! == "get");

        _server.Start();

        // The restarted server is empty: a node that kept its copies would serve what no longer exists.
        // Both connections of each node come back, in either order: wait for the interactive one (breaker closed) too.
        await Eventually.AssertAsync(() => a.Cache.Get("k") is null && b.Cache.Get("k") is null && !a.Store.IsCircuitOpen && !b.Store.IsCircuitOpen,
            "both nodes reconnect and drop their copies");
        Assert.Null(a.Cache.Get("written-while-down"));
        a.Cache.Set("k", "v2");
        await a.FlushAsync();
        Assert.Equal("v2", b.Cache.Get("k"));
        a.Cache.Set("k", "v3");
        await Eventually.AssertAsync(() => b.Cache.Get("k") == "v3", "the backplane works again after the restart");
    }

    [SkippableFact]
    public async Task Start_ServerNotUpYet_HostStartsCallsDoNotThrowAndTheStoreConnectsLater()
    {
        Skip.If(_server.SkipReason is not null, _server.SkipReason);
        // No stopwatch bound (one flakes on a loaded machine): the server comes up only after both starts have
        // returned, so a start that waited for it would never return. A start waits for the first connection
        // attempt at most connectTimeout (2 s here; StackExchange.Redis sometimes reports a refused connection at
        // once, sometimes only then); the 60 s guard only keeps a broken start from hanging the test run.
        await using var a = await RedisTestNode.StartAsync(_server.Configuration, _prefix).WaitAsync(TimeSpan.FromSeconds(60));
        await using var b = await RedisTestNode.StartAsync(_server.Configuration, _prefix).WaitAsync(TimeSpan.FromSeconds(60));
        Assert.False(_server.IsRunning);
        a.Cache.Set("k", "v");
        Assert.Equal("v", a.Cache.Get("k"));
        Assert.Null(b.Cache.Get("k"));
        Assert.NotEmpty(a.StoreErrors);

        _server.Start();

        await Eventually.AssertAsync(() => a.Store.Connection?.IsConnected == true && b.Store.Connection?.IsConnected == true, "both nodes connect");
        a.Cache.Set("k", "v1");
        await a.FlushAsync();
        Assert.Equal("v1", b.Cache.Get("k"));
        a.Cache.Set("k", "v2");
        await Eventually.AssertAsync(() => b.Cache.Get("k") == "v2", "the backplane subscription was made once the server came up");
    }
}
