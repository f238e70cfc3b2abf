using System.Diagnostics.Metrics;
using Dialogue.Caching.Redis;
using Dialogue.Caching.Redis.Internal;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using StackExchange.Redis;

namespace Dialogue.Caching.IntegrationTests.Redis.Support;

/// <summary>
/// One application server of a multi-server deployment: a host with a cache and its Redis store, as
/// <c>services.AddDialogueCache().AddRedisStore(...)</c> makes them, plus what the tests look at (store errors,
/// logs).
/// </summary>
internal sealed class RedisTestNode : IAsyncDisposable
{
    private readonly IHost _host;
    private readonly MetricCollector<long> _storeErrors;
    private readonly MetricCollector<long> _storeRequests;

    private RedisTestNode(IHost host, string cacheName)
    {
        _host = host;
        Cache = cacheName == DialogueCacheServiceCollectionExtensions.DefaultCacheName
            ? host.Services.GetRequiredService<DialogueCache>()
            : host.Services.GetRequiredKeyedService<DialogueCache>(cacheName);
        Store = (RedisDialogueCacheStore)host.Services.GetRequiredKeyedService<IDialogueCacheStore>(cacheName);
        Logs = host.Services.GetRequiredService<FakeLogCollector>();
        var meterFactory = host.Services.GetRequiredService<IMeterFactory>();
        _storeErrors = new MetricCollector<long>(meterFactory, DialogueCache.MeterName, "cache.store.errors");
        _storeRequests = new MetricCollector<long>(meterFactory, DialogueCache.MeterName, "cache.store.requests");
    }

    /// <summary>The cache.</summary>
    public DialogueCache Cache { get; }

    /// <summary>The node's services (faces, chat clients).</summary>
    public IServiceProvider Services => _host.Services;

    /// <summary>The cache as its store sees it (memory-only evictions).</summary>
    public IDialogueCacheStoreHost LocalTier => Cache;

    /// <summary>The Redis store behind the cache.</summary>
    public RedisDialogueCacheStore Store { get; }

    /// <summary>Everything the node logged, at every level.</summary>
    public FakeLogCollector Logs { get; }

    /// <summary>The <c>cache.store.errors</c> measurements so far.</summary>
    public IReadOnlyList<CollectedMeasurement<long>> StoreErrors => _storeErrors.GetMeasurementSnapshot();

    /// <summary>The <c>cache.store.requests</c> measurements so far, as (<c>cache.request.type</c>, value).</summary>
    public IReadOnlyList<(string Type, long Value)> StoreRequests =>
        [.. _storeRequests.GetMeasurementSnapshot().Select(m => ((string)m.Tags["cache.request.type"]!, m.Value))];

    /// <summary>Builds and starts a node (the store connects and subscribes while the host starts).</summary>
    /// <param name="configuration">The server's configuration string.</param>
    /// <param name="keyPrefix">The key prefix shared by the nodes of one test.</param>
    /// <param name="configure">Further store options.</param>
    /// <param name="timeProvider">The cache's clock; the system clock when null.</param>
    /// <param name="cacheName">The cache's name.</param>
    /// <param name="start">False to build without starting the host.</param>
    /// <param name="extend">Adds to the cache's registration (faces, a chat pipeline) after the store.</param>
    /// <param name="awaitBackplane">
    /// When the node connected, wait (bounded) until its backplane subscription is confirmed: messages sent before
    /// it are lost, so a test relying on them must not start earlier. False for nodes meant to stay unsubscribed.
    /// </param>
    public static async Task<RedisTestNode> StartAsync(string configuration, string keyPrefix, Action<RedisStoreOptions>? configure = null,
        TimeProvider? timeProvider = null, string cacheName = DialogueCacheServiceCollectionExtensions.DefaultCacheName, bool start = true,
        Action<IDialogueCacheBuilder>? extend = null, bool awaitBackplane = true)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Logging.AddFakeLogging().SetMinimumLevel(LogLevel.Trace);
        builder.Services.AddMetrics();
        if (timeProvider is not null)
        {
            builder.Services.AddSingleton(timeProvider);
        }

        var cache = builder.Services.AddDialogueCache(cacheName, o => o.MaxSize = 1000)
            .AddRedisStore(configuration, o =>
            {
                o.KeyPrefix = keyPrefix;
                o.ConfigureConnection = FastReconnect;
                configure?.Invoke(o);
            });
        extend?.Invoke(cache);
        var host = builder.Build();
        var node = new RedisTestNode(host, cacheName);
        if (start)
        {
            await host.StartAsync();
            if (awaitBackplane && node.Store.Connection?.IsConnected == true)
            {
                // Not asserted: a node whose subscription fails keeps retrying, and the test says what it expects.
                await Eventually.HoldsAsync(() => node.Store.IsSubscribed);
            }
        }

        return node;
    }

    /// <summary>Test connections come back within a fraction of a second of the server.</summary>
    public static void FastReconnect(ConfigurationOptions options)
    {
        options.ReconnectRetryPolicy = new LinearRetry(100);
        options.ConnectTimeout = 2000;
    }

    /// <summary>Waits until every write this node sent has reached Redis.</summary>
    public Task FlushAsync() => Store.FlushAsync(CancellationToken.None);

    /// <summary>
    /// Waits (bounded) until this node has handled every backplane message <paramref name="writers"/> sent so far.
    /// Redis acknowledges a PUBLISH before subscribers get it: without this, a node that reads another's write
    /// could still get the write's message afterwards and drop the copy it just filled.
    /// </summary>
    public async Task CaughtUpWithAsync(params RedisTestNode[] writers)
    {
        foreach (var writer in writers)
        {
            await writer.FlushAsync();
        }

        var sent = writers.Sum(w => w.Store.MessagesPublished);
        if (!await Eventually.HoldsAsync(() => Store.MessagesHandled >= sent))
        {
            Assert.Fail($"This node handled {Store.MessagesHandled} of the {sent} backplane messages sent to it. Errors here: {string.Join(", ", StoreErrors.Select(e => e.Tags["operation"]))}; there: {string.Join(", ", writers.SelectMany(w => w.StoreErrors).Select(e => e.Tags["operation"]))}. {string.Join(" | ", Logs.GetSnapshot().Where(r => r.Exception is not null).Select(r => r.Exception!.GetType().Name + ": " + r.Exception.Message).Take(3))}");
        }
    }

    /// <summary>
    /// Reads a key and tells where it came from: <c>FromStore</c> is true when the memory tier missed and Redis was
    /// asked (the seam has no side-effect-free peek at the memory tier; the store counters tell).
    /// </summary>
    public (string? Value, bool FromStore) Read(string key)
    {
        var before = StoreReads();
        var value = Cache.Get(key);
        return (value, StoreReads() != before);
    }

    /// <summary>Reads of the store so far (hits and misses).</summary>
    public long StoreReads()
    {
        var analytics = Cache.Analytics();
        return analytics.StoreHits + analytics.StoreMisses;
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        _storeErrors.Dispose();
        _storeRequests.Dispose();
        try
        {
            await _host.StopAsync();
        }
        finally
        {
            _host.Dispose();
        }
    }
}
