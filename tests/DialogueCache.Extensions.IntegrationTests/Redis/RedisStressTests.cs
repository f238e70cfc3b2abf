using System.Collections.Concurrent;
using Dialogue.Caching.IntegrationTests.Redis.Support;
using Dialogue.Caching.IntegrationTests.Support;
using Dialogue.Caching.Tests.Concurrency;
using Xunit.Abstractions;

namespace Dialogue.Caching.IntegrationTests.Redis;

/// <summary>
/// Two nodes on one server, several threads on each racing <c>Set</c>, <c>Get</c>, <c>GetOrCreateAsync</c>,
/// <c>Invalidate</c> and <c>InvalidatePattern</c> over the same keys, so backplane messages, store reads and fills,
/// scans and unlinks all overlap. Invariants: nothing throws and no store operation fails; a read never returns the
/// value of another key; after quiescence a final <c>Clear</c> leaves both memory tiers and Redis empty. Runs
/// against Garnet (<see cref="GarnetRedisStressTests"/>) and the redis-server of <c>DIALOGUECACHE_REDIS</c>
/// (<see cref="RedisServerRedisStressTests"/>).
/// </summary>
public abstract class RedisStressTests
{
    private const int ThreadsPerNode = 3;
    private const int OperationsPerThread = 1500;
    private const int Groups = 4;
    private const int KeysPerGroup = 10;
    private readonly IRedisTestServer _server;
    private readonly ITestOutputHelper _output;
    private readonly string _prefix = $"dct{Guid.NewGuid():N}:";

    protected RedisStressTests(IRedisTestServer server, ITestOutputHelper output)
    {
        _server = server;
        _output = output;
    }

    [SkippableFact]
    public async Task TwoNodesManyThreads_RacingWritesReadsAndInvalidations_NoMixUpAndAClearEmptiesEverything()
    {
        Skip.If(_server.SkipReason is not null, _server.SkipReason);

        // A generous timeout: a busy 2-core machine must not turn slow commands into store errors.
        await using var a = await RedisTestNode.StartAsync(_server.Configuration, _prefix, o => o.OperationTimeout = TimeSpan.FromSeconds(10));
        await using var b = await RedisTestNode.StartAsync(_server.Configuration, _prefix, o => o.OperationTimeout = TimeSpan.FromSeconds(10));
        RedisTestNode[] nodes = [a, b];
        var misfiled = new ConcurrentQueue<string>();
        var reads = 0L;
        var hits = 0L;

        var errors = StressThreads.Run(nodes.Length * ThreadsPerNode, thread =>
        {
            var node = nodes[thread % nodes.Length];
            var random = new Random(2000 + thread);
            for (var i = 0; i < OperationsPerThread; i++)
            {
                var group = random.Next(Groups);
                var key = $"npc:g{group}|k{random.Next(KeysPerGroup)}";
                var roll = random.Next(100);
                string? read = null;
                var isRead = false;
                if (roll < 30)
                {
                    node.Cache.Set(key, $"{key}={thread}.{i}");
                }
                else if (roll < 42)
                {
                    node.Cache.Invalidate(key);
                }
                else if (roll < 45)
                {
                    node.Cache.InvalidatePattern($"npc:g{group}|");
                }
                else if (roll < 55)
                {
                    read = node.Cache.GetOrCreateAsync(key, (k, _) => ValueTask.FromResult($"{k}={thread}.{i}.made")).AsTask().GetAwaiter().GetResult();
                    isRead = true;
                }
                else
                {
                    read = node.Cache.Get(key);
                    isRead = true;
                }

                if (isRead)
                {
                    Interlocked.Increment(ref reads);
                    if (read is not null)
                    {
                        Interlocked.Increment(ref hits);
                        if (!read.StartsWith(key + "=", StringComparison.Ordinal))
                        {
                            misfiled.Enqueue($"{key} returned {read}");
                        }
                    }
                }
            }
        });

        Assert.True(errors.Count == 0, StressThreads.Describe(errors));
        Assert.True(misfiled.IsEmpty, string.Join(Environment.NewLine, misfiled.Take(20)));

        // Quiescence: every write reached Redis. Not asserted: that every message arrived and no store operation
        // failed. Under this load on 2 cores the client can lose its connection (each loss drops the node's memory
        // copies, as designed); the invariants above and below hold regardless. Printed instead.
        await a.FlushAsync();
        await b.FlushAsync();
        var health = $"store errors {a.StoreErrors.Count} and {b.StoreErrors.Count}, messages handled {a.Store.MessagesHandled} of {b.Store.MessagesPublished} and {b.Store.MessagesHandled} of {a.Store.MessagesPublished}";

        // Not asserted: README ("Consistency") admits a window of microseconds in which a backplane message can miss a
        // fill on another node. Printed, so a run shows how often it was hit (0 so far).
        var diverged = 0;
        for (var group = 0; group < Groups; group++)
        {
            for (var k = 0; k < KeysPerGroup; k++)
            {
                var key = $"npc:g{group}|k{k}";
                var stored = a.Store.Get(key)?.Value as string;
                if (a.Cache.Get(key) != stored || b.Cache.Get(key) != stored)
                {
                    diverged++;
                }
            }
        }

        a.Cache.Clear();

        await Eventually.AssertAsync(() => a.Cache.Count == 0 && b.Cache.Count == 0, "both memory tiers are empty");
        await using var raw = await RawRedis.ConnectAsync(_server.Configuration);
        Assert.Empty(await raw.KeysAsync(_prefix));
        foreach (var node in nodes)
        {
            for (var group = 0; group < Groups; group++)
            {
                for (var k = 0; k < KeysPerGroup; k++)
                {
                    Assert.Null(node.Cache.Get($"npc:g{group}|k{k}"));
                }
            }
        }

        _output.WriteLine($"{_server.Kind}: {nodes.Length * ThreadsPerNode} threads x {OperationsPerThread} operations, {reads} reads, {hits} with a value; after quiescence {diverged} keys where a node's copy differed from Redis; {health}");
    }
}
