using System.Diagnostics.CodeAnalysis;
using Dialogue.Caching.Redis.Internal;
using StackExchange.Redis;

namespace Dialogue.Caching.Redis;

/// <summary>The connection: made once in the background, watched for loss and return, guarded by the breaker.</summary>
public sealed partial class RedisDialogueCacheStore
{
    private Task<IConnectionMultiplexer> EnsureConnecting()
    {
        lock (_connectSync)
        {
            // A failed attempt (only a supplied factory or bad settings fail: a server that is down does not)
            // is retried when the breaker next lets a call through.
            if (_connecting is null || _connecting.IsFaulted || _connecting.IsCanceled)
            {
                _connecting = Task.Run(ConnectAsync);
            }

            return _connecting;
        }
    }

    private async Task<IConnectionMultiplexer> ConnectAsync()
    {
        IConnectionMultiplexer connection;
        try
        {
            if (_options.ConnectionMultiplexerFactory is { } factory)
            {
                _ownsConnection = false;
                connection = await factory().ConfigureAwait(false)
                    ?? throw new InvalidOperationException($"{nameof(RedisStoreOptions)}.{nameof(RedisStoreOptions.ConnectionMultiplexerFactory)} returned null.");
            }
            else
            {
                var configuration = ConfigurationOptions.Parse(_options.Configuration!);

                // Start even when Redis is down (the connection keeps retrying by itself), fail a command at once
                // rather than queue it while disconnected (the memory tier serves meanwhile), and time out quickly.
                configuration.AbortOnConnectFail = false;
                configuration.BacklogPolicy = BacklogPolicy.FailFast;
                configuration.SyncTimeout = _timeoutMilliseconds;
                configuration.AsyncTimeout = _timeoutMilliseconds;
                _options.ConfigureConnection?.Invoke(configuration);
                _ownsConnection = true;
                connection = await ConnectionMultiplexer.ConnectAsync(configuration).ConfigureAwait(false);
            }
        }
        catch (Exception exception)
        {
            _host?.ReportError("connect", exception);
            throw;
        }

        connection.ConnectionFailed += OnConnectionFailed;
        connection.ConnectionRestored += OnConnectionRestored;
        Log.Connected(_logger, Host.CacheName, string.Join(", ", connection.GetEndPoints().Select(e => e.ToString())), _options.KeyPrefix, connection.IsConnected);
        await SubscribeAsync(connection).ConfigureAwait(false);
        return connection;
    }

    /// <summary>The connection when the breaker allows a call and one is ready in time; otherwise reports and returns false.</summary>
    private bool TryConnection(string operation, [NotNullWhen(true)] out IConnectionMultiplexer? connection)
    {
        connection = null;
        if (!CanCall(operation))
        {
            return false;
        }

        var connecting = EnsureConnecting();
        if (!connecting.IsCompleted)
        {
            // Only in the first moments of the store's life, when no host started it: wait, bounded.
            try
            {
                connecting.Wait(_options.OperationTimeout);
            }
            catch (AggregateException)
            {
                // Looked at below.
            }
        }

        return Ready(operation, connecting, out connection);
    }

    private async ValueTask<IConnectionMultiplexer?> TryConnectionAsync(string operation, CancellationToken cancellationToken)
    {
        if (!CanCall(operation))
        {
            return null;
        }

        var connecting = EnsureConnecting();
        if (!connecting.IsCompleted)
        {
            await ((Task)connecting).WaitAsync(_options.OperationTimeout, cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            cancellationToken.ThrowIfCancellationRequested();
        }

        return Ready(operation, connecting, out var connection) ? connection : null;
    }

    private bool CanCall(string operation)
    {
        if (Volatile.Read(ref _disposed) != 0)
        {
            Host.ReportError(operation, new ObjectDisposedException(nameof(RedisDialogueCacheStore)));
            return false;
        }

        if (_breaker!.TryEnter())
        {
            return true;
        }

        Host.ReportError(operation, new RedisStoreUnavailableException(
            "Redis is unavailable and the circuit breaker is open: the operation was skipped and the memory tier served alone."));
        return false;
    }

    private bool Ready(string operation, Task<IConnectionMultiplexer> connecting, [NotNullWhen(true)] out IConnectionMultiplexer? connection)
    {
        if (connecting.IsCompletedSuccessfully)
        {
            connection = connecting.Result;
            return true;
        }

        connection = null;
        Failed(operation, connecting.IsFaulted
            ? new RedisStoreUnavailableException("The Redis connection could not be created.", connecting.Exception!.GetBaseException())
            : new RedisStoreUnavailableException($"No Redis connection within {_options.OperationTimeout.TotalMilliseconds} ms."));
        return false;
    }

    private void OnConnectionFailed(object? sender, ConnectionFailedEventArgs e)
    {
        if (Volatile.Read(ref _disposed) != 0)
        {
            return;
        }

        if (e.ConnectionType == ConnectionType.Interactive)
        {
            // No need to pay a timeout per call to learn what the connection already knows.
            _breaker!.Trip();
        }

        Interlocked.Or(ref _lostConnections, LostFlag(e.ConnectionType));
        Host.ReportError("connect", e.Exception ?? new RedisStoreUnavailableException($"Redis connection lost ({e.ConnectionType}, {e.FailureType})."));
    }

    private void OnConnectionRestored(object? sender, ConnectionFailedEventArgs e)
    {
        if (Volatile.Read(ref _disposed) != 0)
        {
            return;
        }

        // Backplane messages sent while this node was cut off are lost (pub/sub keeps nothing), and a restarted
        // server may have lost entries: every memory copy may be stale, so drop them all. Reads in flight are
        // repeated (see InvalidationEpochs) so they do not bring an old value back. A connection that comes up
        // late at the start, with no loss seen and the subscription already confirmed, lost nothing: the
        // client raises this event for it too, and dropping the copies then would only cost store reads.
        var flag = LostFlag(e.ConnectionType);
        var lost = (Interlocked.And(ref _lostConnections, ~flag) & flag) != 0 || !IsSubscribed;
        if (lost)
        {
            _epochs.BumpAll();
            Host.EvictAllLocal();
            Log.Reconnected(_logger, Host.CacheName, e.ConnectionType.ToString());
        }

        if (e.ConnectionType == ConnectionType.Interactive)
        {
            _breaker!.Reset();
        }

        if (sender is IConnectionMultiplexer connection && (e.ConnectionType == ConnectionType.Subscription || !IsSubscribed))
        {
            CheckSubscription(connection, missed: lost);
        }
    }

    private static int LostFlag(ConnectionType type) => type == ConnectionType.Subscription ? 2 : 1;

    private void Detach(IConnectionMultiplexer connection)
    {
        connection.ConnectionFailed -= OnConnectionFailed;
        connection.ConnectionRestored -= OnConnectionRestored;
        if (!_ownsConnection)
        {
            // A shared connection outlives this store: stop handling its messages.
            try
            {
                connection.GetSubscriber().Unsubscribe(Keyspace.Channel, OnMessage, CommandFlags.FireAndForget);
            }
            catch (RedisException)
            {
                // The connection is going anyway.
            }
        }
    }
}
