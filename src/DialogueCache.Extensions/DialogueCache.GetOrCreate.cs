using Dialogue.Caching.Coalescing;
using Dialogue.Caching.Internal;

namespace Dialogue.Caching;

/// <summary>Stampede-protected reads: one factory call per key however many callers miss at once.</summary>
public sealed partial class DialogueCache
{
    /// <inheritdoc />
    public ValueTask<string> GetOrCreateAsync(string key,
        Func<string, CancellationToken, ValueTask<string>> factory,
        TimeSpan? ttl = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        ArgumentNullException.ThrowIfNull(factory);
        var lifetime = ResolveTtl(ttl);
        if (cancellationToken.IsCancellationRequested)
        {
            return ValueTask.FromCanceled<string>(cancellationToken);
        }

        // A hit completes synchronously, with no allocation.
        if (_engine.TryGetHit(key, out var node))
        {
            _metrics.Hit();
            return new ValueTask<string>(node.Value as string ?? AsText(node.Value));
        }

        if (_store is not null)
        {
            return GetFromStoreOrCreateAsync(key, factory, lifetime, cancellationToken);
        }

        _engine.CountMiss(key);
        _metrics.Miss();
        return JoinOrStartAsync(key, factory, lifetime, cancellationToken);
    }

    // Every caller reads the store itself (a cheap read) before joining the one factory call (the costly one).
    private async ValueTask<string> GetFromStoreOrCreateAsync(string key, Func<string, CancellationToken, ValueTask<string>> factory,
        TimeSpan ttl, CancellationToken cancellationToken)
    {
        var stored = await GetFromStoreAsync(key, cancellationToken).ConfigureAwait(false);
        if (stored is not null)
        {
            return stored;
        }

        _engine.CountMiss(key);
        _metrics.Miss();
        return await JoinOrStartAsync(key, factory, ttl, cancellationToken).ConfigureAwait(false);
    }

    private ValueTask<string> JoinOrStartAsync(string key, Func<string, CancellationToken, ValueTask<string>> factory,
        TimeSpan ttl, CancellationToken cancellationToken)
    {
        while (true)
        {
            if (_inFlight.TryGetValue(key, out var running))
            {
                if (running.TryJoin())
                {
                    Interlocked.Increment(ref _coalescedCalls);
                    _metrics.Coalesced();
                    return running.WaitAsync(cancellationToken);
                }

                // Every waiter of that call left and it is being cancelled: start a fresh one in its place.
                var replacement = new InFlightCall();
                if (_inFlight.TryUpdate(key, replacement, running))
                {
                    return Start(replacement);
                }

                replacement.Dispose();
                continue;
            }

            var call = new InFlightCall();
            if (_inFlight.TryAdd(key, call))
            {
                return Start(call);
            }

            call.Dispose();
        }

        ValueTask<string> Start(InFlightCall call)
        {
            _ = RunFactoryAsync(call, key, factory, ttl);
            return call.WaitAsync(cancellationToken);
        }
    }

    // Never throws: the outcome goes to the call's waiters.
    private async Task RunFactoryAsync(InFlightCall call, string key, Func<string, CancellationToken, ValueTask<string>> factory, TimeSpan ttl)
    {
        var timeProvider = _engine.Clock.TimeProvider;
        var started = timeProvider.GetTimestamp();
        Interlocked.Increment(ref _factoryCalls);
        try
        {
            var value = await factory(key, call.FactoryToken).ConfigureAwait(false)
                ?? throw new InvalidOperationException("The factory returned null; a factory must return a response.");

            // Store before releasing the key, so a caller arriving now hits instead of starting another call.
            SetCore(key, value, ttl);
            _inFlight.TryRemove(new KeyValuePair<string, InFlightCall>(key, call));
            call.SetResult(value);
        }
        catch (OperationCanceledException) when (call.FactoryToken.IsCancellationRequested)
        {
            _inFlight.TryRemove(new KeyValuePair<string, InFlightCall>(key, call));
            call.SetCanceled();
        }
        catch (Exception exception)
        {
            _inFlight.TryRemove(new KeyValuePair<string, InFlightCall>(key, call));
            Log.FactoryFailed(_logger, _name, key, exception);
            call.SetException(exception);
        }
        finally
        {
            _metrics.GenerationCompleted(timeProvider.GetElapsedTime(started));
            call.Dispose();
        }
    }
}
