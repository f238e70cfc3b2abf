using StackExchange.Redis;

namespace Dialogue.Caching.Redis;

/// <summary>
/// Settings of the Redis store of one cache (<c>AddRedisStore</c>): where Redis is, how the cache's entries are
/// named there, and how the store behaves while Redis is slow or down.
/// </summary>
public sealed class RedisStoreOptions
{
    /// <summary>
    /// A StackExchange.Redis configuration string, e.g. <c>"127.0.0.1:6379"</c> or
    /// <c>"redis.internal:6380,password=...,ssl=true,sslHost=redis.internal"</c>. <c>AddRedisStore</c> sets it from
    /// its argument. Not used when <see cref="ConnectionMultiplexerFactory"/> is set.
    /// </summary>
    public string? Configuration { get; set; }

    /// <summary>
    /// What every key and the backplane channel of the cache start with (followed by the cache's name and
    /// <c>:</c>). Caches that share a server are isolated by it: give each application its own prefix, and do not
    /// make one prefix the start of another's. Default <c>dialoguecache:</c>.
    /// </summary>
    public string KeyPrefix { get; set; } = "dialoguecache:";

    /// <summary>
    /// How long one Redis command may take before it counts as failed (StackExchange.Redis <c>syncTimeout</c> and
    /// <c>asyncTimeout</c> of the connection the store creates); also the longest a call waits for the first
    /// connection. Greater than zero, at most 10 minutes. Default 1 second.
    /// </summary>
    public TimeSpan OperationTimeout { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// How many failed Redis calls in a row open the circuit breaker; while it is open the store does not call
    /// Redis at all (the memory tier serves, each skipped operation counts in <c>cache.store.errors</c>). At least 1.
    /// Default 3. A lost connection opens the breaker at once.
    /// </summary>
    public int CircuitBreakerFailureThreshold { get; set; } = 3;

    /// <summary>
    /// How long the breaker stays open before one call probes Redis again (measured on the cache's
    /// <see cref="TimeProvider"/>). A restored connection closes it at once. Greater than zero. Default 5 seconds.
    /// </summary>
    public TimeSpan CircuitBreakerBreakDuration { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Keys asked for per <c>SCAN</c> call and removed per <c>UNLINK</c> by <c>InvalidatePattern</c> and <c>Clear</c>.
    /// From 1 to 100000. Default 500.
    /// </summary>
    public int ScanBatchSize { get; set; } = 500;

    /// <summary>
    /// Changes the connection settings parsed from <see cref="Configuration"/> before the store connects: TLS
    /// certificate validation or selection, a password from a secret store, <c>ReconnectRetryPolicy</c>, and so on.
    /// Runs after the store's own settings (no queueing while disconnected, <see cref="OperationTimeout"/>), so it
    /// can override them.
    /// </summary>
    public Action<ConfigurationOptions>? ConfigureConnection { get; set; }

    /// <summary>
    /// Supplies an existing connection instead of creating one from <see cref="Configuration"/> (for example one
    /// shared with the rest of the application). The store does not dispose a connection it did not create, and
    /// <see cref="OperationTimeout"/> does not change its timeouts: configure that connection with
    /// <c>abortConnect=false</c> and short timeouts.
    /// </summary>
    public Func<Task<IConnectionMultiplexer>>? ConnectionMultiplexerFactory { get; set; }
}
