using System.Diagnostics.Metrics;
using Dialogue.Caching.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;

namespace Dialogue.Caching.IntegrationTests.Sqlite;

/// <summary>
/// A cache in front of a real SQLite store on a fake clock, with its logs and store metrics collected: what one
/// process of an application would have.
/// </summary>
internal sealed class StoreHarness : IAsyncDisposable
{
    private readonly ServiceProvider _services;
    private readonly ILoggerFactory _loggerFactory;

    public StoreHarness(string connectionString, Action<SqliteStoreOptions>? configure = null, int maxSize = 100,
        FakeTimeProvider? time = null, string name = "default", Action<SqliteDialogueCacheStore>? beforeAttach = null,
        ILoggerProvider? alsoLogTo = null)
    {
        Time = time ?? new FakeTimeProvider();
        _services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var meterFactory = _services.GetRequiredService<IMeterFactory>();
        StoreErrors = new MetricCollector<long>(meterFactory, DialogueCache.MeterName, "cache.store.errors");
        StoreRequests = new MetricCollector<long>(meterFactory, DialogueCache.MeterName, "cache.store.requests");
        Logs = new FakeLogCollector();
        _loggerFactory = LoggerFactory.Create(builder =>
        {
            builder.SetMinimumLevel(LogLevel.Debug).AddProvider(new FakeLoggerProvider(Logs));
            if (alsoLogTo is not null)
            {
                builder.AddProvider(alsoLogTo);
            }
        });
        var options = new SqliteStoreOptions();
        configure?.Invoke(options);
        Store = new SqliteDialogueCacheStore(connectionString, options, _loggerFactory);
        beforeAttach?.Invoke(Store);
        Cache = new DialogueCache(new DialogueCacheOptions { Name = name, MaxSize = maxSize, Ttl = TimeSpan.FromHours(1) },
            Store, Time, _loggerFactory, meterFactory);
    }

    public FakeTimeProvider Time { get; }

    public SqliteDialogueCacheStore Store { get; }

    public DialogueCache Cache { get; }

    public IDialogueCacheStoreHost Host => Cache;

    public FakeLogCollector Logs { get; }

    public MetricCollector<long> StoreErrors { get; }

    public MetricCollector<long> StoreRequests { get; }

    /// <summary>The <c>operation</c> tag of every <c>cache.store.errors</c> measurement so far.</summary>
    public IReadOnlyList<string> ErrorOperations =>
        StoreErrors.GetMeasurementSnapshot().SelectMany(m => Enumerable.Repeat((string)m.Tags["operation"]!, (int)m.Value)).ToList();

    public static async Task<StoreHarness> StartAsync(string connectionString, Action<SqliteStoreOptions>? configure = null,
        int maxSize = 100, FakeTimeProvider? time = null, string name = "default")
    {
        var harness = new StoreHarness(connectionString, configure, maxSize, time, name);
        await harness.StartStoreAsync();
        return harness;
    }

    /// <summary>Starts the store as the hosted service does, and waits for its first background cleanup (so it cannot race the test).</summary>
    public async Task StartStoreAsync()
    {
        var cleaned = Store.NextCleanupAsync();
        await Store.StartAsync(CancellationToken.None);
        await cleaned.WaitAsync(TimeSpan.FromSeconds(30));
    }

    /// <summary>Advances the fake clock by one flush interval and waits for the background flush it triggers.</summary>
    public async Task TickFlushAsync(TimeSpan interval)
    {
        var flushed = Store.NextLoopFlushAsync();
        Time.Advance(interval);
        await flushed.WaitAsync(TimeSpan.FromSeconds(30));
    }

    public async ValueTask DisposeAsync()
    {
        await Store.DisposeAsync();
        Cache.Dispose();
        StoreErrors.Dispose();
        StoreRequests.Dispose();
        _loggerFactory.Dispose();
        await _services.DisposeAsync();
    }
}
