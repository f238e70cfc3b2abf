using Dialogue.Caching.IntegrationTests.Redis.Support;
using Dialogue.Caching.Redis;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using StackExchange.Redis;

namespace Dialogue.Caching.IntegrationTests.Redis;

/// <summary>
/// Redis faults seen through a TCP proxy in front of the server (so the shared redis-server is never stopped):
/// a hung server (every byte held), a lost connection and a server that refuses connections. Callers never see
/// an exception, memory serves, errors are counted and logged at a bounded rate, the circuit breaker stops
/// paying timeouts, and a reconnect drops memory copies that may have missed invalidations.
/// </summary>
public abstract class RedisFaultTests
{
    private static readonly TimeSpan OperationTimeout = TimeSpan.FromMilliseconds(300);
    private readonly IRedisTestServer _server;
    private readonly string _prefix = $"dct{Guid.NewGuid():N}:";

    protected RedisFaultTests(IRedisTestServer server)
    {
        _server = server;
    }

    [SkippableFact]
    public async Task Get_ServerHangs_BreakerOpensAfterThresholdAndLaterCallsPayNoTimeout()
    {
        RequireServer();
        var clock = new FakeTimeProvider();
        await using var proxy = new TcpFaultProxy(_server.Port);
        await using var node = await ProxiedNodeAsync(proxy, clock, o =>
        {
            o.CircuitBreakerFailureThreshold = 2;
            o.CircuitBreakerBreakDuration = TimeSpan.FromMinutes(1);
        });
        node.Cache.Set("k", "v");
        await node.FlushAsync();

        proxy.Freeze();
        Assert.Null(node.Cache.Get("a1"));
        Assert.Null(node.Cache.Get("a2"));

        // Counted, not timed (a stopwatch bound flakes on a loaded machine): the first two calls reached the
        // client and failed with its timeout; with the breaker open, the next 40 calls send no command at all.
        Assert.True(node.Store.IsCircuitOpen, "two failures in a row open the breaker");
        Assert.Contains(node.Logs.GetSnapshot(), r => r.Exception is RedisTimeoutException);
        var connection = node.Store.Connection!;
        var commandsBefore = connection.OperationCount;
        var errorsBefore = node.StoreErrors.Count;
        for (var i = 0; i < 20; i++)
        {
            Assert.Null(node.Cache.Get($"b{i}"));
            node.Cache.Set($"w{i}", "x");
        }

        Assert.Equal(commandsBefore, connection.OperationCount);
        Assert.Equal(errorsBefore + 40, node.StoreErrors.Count);
        Assert.Equal("v", node.Cache.Get("k"));

        // Redis is back, but the breaker only lets a probe through once its break is over on the cache's clock.
        proxy.Thaw();
        clock.Advance(TimeSpan.FromMinutes(1));
        await Eventually.AssertAsync(() => node.Cache.Get("probe") is null && !node.Store.IsCircuitOpen, "a probe closes the breaker");
        node.Cache.Set("after", "ok");
        await node.FlushAsync();
        await using var fresh = await DirectNodeAsync();
        Assert.Equal("ok", fresh.Cache.Get("after"));
    }

    [SkippableFact]
    public async Task Reconnect_InvalidationsMissedWhileCutOff_DropsEveryMemoryCopy()
    {
        RequireServer();
        await using var proxy = new TcpFaultProxy(_server.Port);
        await using var a = await DirectNodeAsync();
        await using var b = await ProxiedNodeAsync(proxy);
        a.Cache.Set("k", "v1");
        a.Cache.Set("gone", "g");

        // Redis acknowledges a PUBLISH before subscribers get it: b must have heard a's two writes before it reads
        // them, or a late message drops the copies it just filled (and the stale reads below find nothing).
        await b.CaughtUpWithAsync(a);
        Assert.Equal("v1", b.Cache.Get("k"));
        Assert.Equal("g", b.Cache.Get("gone"));

        proxy.Block();
        proxy.Sever();
        await Eventually.AssertAsync(() => b.Store.IsCircuitOpen, "the lost connection opens the breaker");
        a.Cache.Set("k", "v2");
        a.Cache.Invalidate("gone");
        await a.FlushAsync();

        // Cut off, b serves what it has: stale, but without failing.
        Assert.Equal("v1", b.Cache.Get("k"));
        b.Cache.Set("local", "only here");

        proxy.Unblock();
        await Eventually.AssertAsync(() => b.Cache.Get("k") == "v2", "b reconnects and drops its stale copy");
        Assert.Null(b.Cache.Get("gone"));
        Assert.Contains(b.Logs.GetSnapshot(), r => r.Id.Id == 102);
        a.Cache.Set("k", "v3");
        await Eventually.AssertAsync(() => b.Cache.Get("k") == "v3", "the backplane works again after the reconnect");
    }

    [SkippableFact]
    public async Task Calls_ServerRefusesConnections_NeverThrowAreCountedAndLoggedOncePerInterval()
    {
        RequireServer();
        const string SecretKey = "npc:oracle|cave|t:my card number is 4111";
        const string SecretValue = "the oracle's private answer";
        var clock = new FakeTimeProvider();
        await using var proxy = new TcpFaultProxy(_server.Port);
        await using var node = await ProxiedNodeAsync(proxy, clock, o => o.CircuitBreakerFailureThreshold = 1000);
        node.Cache.Set(SecretKey, SecretValue);
        await node.FlushAsync();

        proxy.Block();
        proxy.Sever();

        // The store opens the breaker, then reports (counts, then logs) the lost connection: wait for all three, so
        // that the one warning line of this interval is that report's.
        await Eventually.AssertAsync(() => node.Store.IsCircuitOpen && node.StoreErrors.Any(m => (string)m.Tags["operation"]! == "connect")
            && node.Logs.GetSnapshot().Any(r => r.Id.Id == 7), "the client notices the lost connection");
        node.Cache.Set(SecretKey + "2", SecretValue);
        Assert.Equal(SecretValue, node.Cache.Get(SecretKey));
        Assert.Null(node.Cache.Get("absent"));
        Assert.Equal("made", await node.Cache.GetOrCreateAsync("new", (_, _) => ValueTask.FromResult("made")));
        node.Cache.Invalidate(SecretKey);
        node.Cache.InvalidatePattern("npc:");
        node.Cache.Clear();
        await node.FlushAsync();

        var operations = node.StoreErrors.Select(m => (string)m.Tags["operation"]!).ToHashSet();
        Assert.Superset(new HashSet<string> { "set", "get", "remove", "clear", "connect" }, operations);
        var warnings = node.Logs.GetSnapshot().Where(r => r.Id.Id == 7).ToList();
        Assert.Single(warnings);
        Assert.All(node.Logs.GetSnapshot(), record =>
        {
            var text = record.Message + record.Exception;
            // The key's words, not just its digits: "4111" may be part of a random port in a connection log line.
            Assert.DoesNotContain("my card number is 4111", text, StringComparison.Ordinal);
            Assert.DoesNotContain(SecretValue, text, StringComparison.Ordinal);
        });

        // The next interval on the cache's clock lets one more line through.
        clock.Advance(TimeSpan.FromSeconds(11));
        Assert.Null(node.Cache.Get("absent"));
        Assert.Equal(2, node.Logs.GetSnapshot().Count(r => r.Id.Id == 7));
    }

    private void RequireServer() => Skip.If(_server.SkipReason is not null, _server.SkipReason);

    private Task<RedisTestNode> DirectNodeAsync() => RedisTestNode.StartAsync(_server.Configuration, _prefix);

    private Task<RedisTestNode> ProxiedNodeAsync(TcpFaultProxy proxy, TimeProvider? clock = null, Action<RedisStoreOptions>? configure = null)
    {
        var configuration = _server.Configuration.Replace($":{_server.Port}", $":{proxy.Port}", StringComparison.Ordinal);
        return RedisTestNode.StartAsync(configuration, _prefix, o =>
        {
            o.OperationTimeout = OperationTimeout;
            configure?.Invoke(o);
        }, clock);
    }
}
