using Dialogue.Caching.Redis.Internal;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using StackExchange.Redis;

namespace Dialogue.Caching.Redis;

/// <summary>
/// A shared second tier in Redis with a pub/sub invalidation backplane, for many servers: a memory miss reads
/// Redis, and <c>Set</c>, <c>Invalidate</c>, <c>InvalidatePattern</c> and <c>Clear</c> reach Redis and drop the
/// stale memory copies of every other server on the same Redis and key prefix. Register it with
/// <c>services.AddDialogueCache().AddRedisStore("127.0.0.1:6379")</c>, or create it yourself and pass it to
/// <see cref="DialogueCache(DialogueCacheOptions, IDialogueCacheStore?, TimeProvider?, ILoggerFactory?, System.Diagnostics.Metrics.IMeterFactory?)"/>;
/// then call <see cref="StartAsync"/> (waits, bounded, for the connection and subscribes) and dispose the store
/// when you are done (it waits for pending writes).
/// </summary>
/// <remarks>
/// <para>Never throws to the cache: failures go to <see cref="IDialogueCacheStoreHost.ReportError"/>
/// (<c>cache.store.errors</c>), failed reads return null, and a circuit breaker stops calling Redis while it keeps
/// failing. The connection is made in the background from <see cref="Attach"/> on and reconnects by itself; after a
/// reconnect every memory copy is dropped (it may have missed invalidations).</para>
/// <para>Reads (<see cref="Get"/>, <see cref="GetAsync"/>) wait for Redis, at most
/// <see cref="RedisStoreOptions.OperationTimeout"/>. <see cref="Set"/> and <see cref="Remove"/> return once the
/// command and its backplane message are queued on the connection; their outcome is reported when it is known
/// and <see cref="FlushAsync"/> waits for it. Because one connection carries both in order, Redis applies the
/// write before other nodes hear of it. <see cref="RemoveContaining"/> and <see cref="Clear"/> return when Redis
/// has been scanned (so a <c>Set</c> that follows them is never undone by them).</para>
/// <para>What it writes: keys <c>{KeyPrefix}{cache name}:{SHA-256 of the key}</c>; values holding the original key
/// and the value (the key is needed to match <c>InvalidatePattern</c>); backplane messages holding keys and
/// patterns in clear. Protect Redis as you would a database (README, "Security").</para>
/// </remarks>
public sealed partial class RedisDialogueCacheStore : IDialogueCacheStore, IDisposable, IAsyncDisposable
{
    private readonly RedisStoreOptions _options;
    private readonly ILogger _logger;
    private readonly Guid _nodeId = Guid.NewGuid();
    private readonly PendingWrites _pending = new();
    private readonly InvalidationEpochs _epochs = new();
    private readonly Lock _connectSync = new();
    private readonly int _timeoutMilliseconds;
    private readonly TimeSpan _startWait;
    private IDialogueCacheStoreHost? _host;
    private RedisKeyspace? _keyspace;
    private CircuitBreaker? _breaker;
    private Task<IConnectionMultiplexer>? _connecting;
    private bool _ownsConnection;
    private int _disposed;

    /// <summary>Creates a store; it connects once it is attached to a cache.</summary>
    /// <param name="options">Where Redis is and how the store behaves (<see cref="RedisStoreOptions.Configuration"/> or <see cref="RedisStoreOptions.ConnectionMultiplexerFactory"/> is required). Kept by reference: do not change it afterwards.</param>
    /// <param name="loggerFactory">Where the store logs (connection, circuit breaker, subscription); nothing is logged when null.</param>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is null.</exception>
    /// <exception cref="ArgumentException">An option is out of range or the configuration string does not parse (the message names the option, never the string).</exception>
    public RedisDialogueCacheStore(RedisStoreOptions options, ILoggerFactory? loggerFactory = null)
    {
        RedisStoreOptionsValidator.ThrowIfInvalid(options, nameof(options));
        _options = options;
        _logger = (ILogger?)loggerFactory?.CreateLogger("Dialogue.Caching.Redis.RedisStore") ?? NullLogger.Instance;
        _timeoutMilliseconds = (int)Math.Ceiling(options.OperationTimeout.TotalMilliseconds);

        // The host's start waits for the first connection as long as connecting may take (connectTimeout, 5 s by
        // default): a refused connection returns at once, so only an unreachable server delays the start.
        var connectTimeout = options.ConnectionMultiplexerFactory is null
            ? TimeSpan.FromMilliseconds(ConfigurationOptions.Parse(options.Configuration!).ConnectTimeout)
            : TimeSpan.FromSeconds(5);
        _startWait = connectTimeout > options.OperationTimeout ? connectTimeout : options.OperationTimeout;
    }

    /// <summary>This store's id on the backplane (its own messages are ignored).</summary>
    internal Guid NodeId => _nodeId;

    /// <summary>True while the circuit breaker refuses calls.</summary>
    internal bool IsCircuitOpen => _breaker?.IsOpen ?? false;

    /// <summary>The connection, once made (for tests and diagnostics).</summary>
    internal IConnectionMultiplexer? Connection => _connecting is { IsCompletedSuccessfully: true } task ? task.Result : null;

    private IDialogueCacheStoreHost Host => _host ?? throw new InvalidOperationException("The store is not attached to a cache yet.");

    private RedisKeyspace Keyspace => _keyspace!;

    /// <inheritdoc />
    public void Attach(IDialogueCacheStoreHost host)
    {
        ArgumentNullException.ThrowIfNull(host);
        if (Interlocked.CompareExchange(ref _host, host, null) is not null)
        {
            throw new InvalidOperationException("A Redis store serves one cache; it is already attached.");
        }

        _keyspace = new RedisKeyspace(_options.KeyPrefix, host.CacheName);
        _breaker = new CircuitBreaker(_options.CircuitBreakerFailureThreshold, _options.CircuitBreakerBreakDuration, host.TimeProvider);
        _breaker.StateChanged += OnBreakerChanged;

        // Connect in the background from the start, so a cache used without a host is ready by its first request.
        EnsureConnecting();
    }

    /// <inheritdoc />
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var connecting = EnsureConnecting();
        try
        {
            // A server that is down must not hold the application's start: the connection keeps trying by itself.
            await connecting.WaitAsync(_startWait, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException exception)
        {
            Host.ReportError("connect", new RedisStoreUnavailableException("Redis did not answer while the host started; the memory tier serves until it does.", exception));
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            // Already reported by the connect task.
        }
    }

    /// <inheritdoc />
    public DialogueCacheStoreEntry? Get(string key)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        if (!TryConnection("get", out var connection))
        {
            return null;
        }

        var database = connection.GetDatabase();
        var redisKey = Keyspace.KeyFor(key);
        for (var attempt = 0; ; attempt++)
        {
            var stamp = _epochs.Read(key);
            RedisValueWithExpiry read;
            try
            {
                read = database.StringGetWithExpiry(redisKey);
            }
            catch (Exception exception)
            {
                Failed("get", exception);
                return null;
            }

            _breaker!.RecordSuccess();
            if (!_epochs.Changed(stamp))
            {
                return ToEntry(key, read);
            }

            if (attempt == 1)
            {
                return null;
            }
        }
    }

    /// <inheritdoc />
    public async ValueTask<DialogueCacheStoreEntry?> GetAsync(string key, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        var connection = await TryConnectionAsync("get", cancellationToken).ConfigureAwait(false);
        if (connection is null)
        {
            return null;
        }

        var database = connection.GetDatabase();
        var redisKey = Keyspace.KeyFor(key);
        for (var attempt = 0; ; attempt++)
        {
            var stamp = _epochs.Read(key);
            RedisValueWithExpiry read;
            try
            {
                read = await database.StringGetWithExpiryAsync(redisKey).WaitAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                throw;
            }
            catch (Exception exception)
            {
                Failed("get", exception);
                return null;
            }

            _breaker!.RecordSuccess();
            if (!_epochs.Changed(stamp))
            {
                return ToEntry(key, read);
            }

            if (attempt == 1)
            {
                return null;
            }
        }
    }

    /// <inheritdoc />
    public void Set(DialogueCacheStoreEntry entry)
    {
        ArgumentException.ThrowIfNullOrEmpty(entry.Key, nameof(entry));
        ArgumentNullException.ThrowIfNull(entry.Value, nameof(entry));
        if (!TryConnection("set", out var connection))
        {
            return;
        }

        TimeSpan? ttl = null;
        if (entry.ExpiresAt != DateTimeOffset.MaxValue)
        {
            var remaining = entry.ExpiresAt - Host.TimeProvider.GetUtcNow();
            if (remaining <= TimeSpan.Zero)
            {
                // Already expired: what the caller replaced must go all the same.
                RemoveCore(connection, entry.Key, "set");
                return;
            }

            // Whole milliseconds, at least one: SET ... PX takes an integer and refuses 0.
            ttl = TimeSpan.FromMilliseconds(Math.Max(1, Math.Ceiling(remaining.TotalMilliseconds)));
        }

        try
        {
            // One command, value and native TTL together (SET key value PX ms), then the backplane message: both
            // go down the same connection in this order, so Redis has the new value before any node hears of it.
            var write = connection.GetDatabase().StringSetAsync(Keyspace.KeyFor(entry.Key), EntryCodec.Encode(entry.Key, entry.Value), ttl is { } lifetime ? new Expiration(lifetime) : Expiration.Default);
            var publish = Publish(connection, BackplaneMessageKind.Set, entry.Key);
            _pending.Track(CompleteAsync("set", write, publish));
        }
        catch (Exception exception)
        {
            Failed("set", exception);
        }
    }

    /// <inheritdoc />
    public void Remove(string key)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        if (TryConnection("remove", out var connection))
        {
            RemoveCore(connection, key, "remove");
        }
    }

    /// <inheritdoc />
    public Task FlushAsync(CancellationToken cancellationToken) => _pending.WhenAllAsync().WaitAsync(cancellationToken);

    /// <inheritdoc />
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        // Pending writes get one timeout's grace, as a host's stop would give them.
        _pending.WhenAllAsync().Wait(_options.OperationTimeout);
        if (Connection is { } connection)
        {
            Detach(connection);
            if (_ownsConnection)
            {
                connection.Dispose();
            }
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _pending.WhenAllAsync().WaitAsync(_options.OperationTimeout).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        if (Connection is { } connection)
        {
            Detach(connection);
            if (_ownsConnection)
            {
                await connection.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    private void RemoveCore(IConnectionMultiplexer connection, string key, string operation)
    {
        try
        {
            // KeyDelete sends UNLINK where the server has it (Redis 4+, Garnet), DEL otherwise.
            var unlink = connection.GetDatabase().KeyDeleteAsync(Keyspace.KeyFor(key));
            var publish = Publish(connection, BackplaneMessageKind.Remove, key);
            _pending.Track(CompleteAsync(operation, unlink, publish));
        }
        catch (Exception exception)
        {
            Failed(operation, exception);
        }
    }

    private DialogueCacheStoreEntry? ToEntry(string key, RedisValueWithExpiry read)
    {
        if (read.Value.IsNull)
        {
            return null;
        }

        if (!EntryCodec.TryDecode(((ReadOnlyMemory<byte>)read.Value).Span, out var storedKey, out var value))
        {
            Host.ReportError("get", new FormatException($"The Redis value under the prefix '{Keyspace.KeyPrefix}' is not an entry of this library; it was ignored."));
            return null;
        }

        if (!string.Equals(storedKey, key, StringComparison.Ordinal))
        {
            // Another key with the same hash: a miss, never the other key's value.
            return null;
        }

        var expiresAt = read.Expiry is { } remaining ? Host.TimeProvider.GetUtcNow() + remaining : DateTimeOffset.MaxValue;
        return new DialogueCacheStoreEntry(key, value, expiresAt);
    }

    private async Task CompleteAsync(string operation, Task first, Task second)
    {
        try
        {
            await Task.WhenAll(first, second).ConfigureAwait(false);
            _breaker!.RecordSuccess();
        }
        catch (Exception exception)
        {
            Failed(operation, exception);
        }
    }

    private void Failed(string operation, Exception exception)
    {
        _breaker?.RecordFailure();
        _host?.ReportError(operation, exception);
    }

    private void OnBreakerChanged(TimeSpan breakDuration)
    {
        var cacheName = _host?.CacheName ?? string.Empty;
        if (breakDuration > TimeSpan.Zero)
        {
            Log.CircuitOpened(_logger, cacheName, breakDuration.TotalSeconds);
        }
        else
        {
            Log.CircuitClosed(_logger, cacheName);
        }
    }
}
