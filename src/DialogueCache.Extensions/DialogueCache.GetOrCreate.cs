using System.Collections.Concurrent;
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

        // Another face stored a non-text value under this key: a miss for the string API, which replaces it.
        if (HoldsNonText(key))
        {
            CountMiss(key);
            return JoinOrStartAsync(key, factory, lifetime, cancellationToken);
        }

        // A hit completes synchronously, with no allocation.
        if (_engine.TryGetHit(key, out var node))
        {
            _metrics.Hit();
            if (TryGetText(node.Value, out var text))
            {
                return new ValueTask<string>(text);
            }

            // A non-text value landed between the check above and the read (a racing IMemoryCache write).
            return JoinOrStartAsync(key, factory, lifetime, cancellationToken);
        }

        if (StoreServes(key))
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
        if (TryGetText(await ReadStoreAsync(key, cancellationToken).ConfigureAwait(false), out var stored))
        {
            return stored;
        }

        _engine.CountMiss(key);
        _metrics.Miss();
        return await JoinOrStartAsync(key, factory, ttl, cancellationToken).ConfigureAwait(false);
    }

    private async ValueTask<string> JoinOrStartAsync(string key, Func<string, CancellationToken, ValueTask<string>> factory,
        TimeSpan ttl, CancellationToken cancellationToken)
    {
        var payload = await JoinOrStartAsync(
            _inFlight,
            key,
            async (k, token) => await factory(k, token).ConfigureAwait(false)
                ?? throw new InvalidOperationException("The factory returned null; a factory must return a response."),
            (k, value) => SetCore(k, value, ttl),
            cancellationToken).ConfigureAwait(false);
        return (string)payload;
    }

    /// <summary>
    /// The HybridCache face's stampede protection: joins the factory call running for <paramref name="key"/>
    /// among HybridCache callers, or starts one (see the private overload).
    /// </summary>
    internal ValueTask<object> JoinOrStartAsync(string key, Func<string, CancellationToken, ValueTask<object>> create,
        Action<string, object> commit, CancellationToken cancellationToken) =>
        JoinOrStartAsync(_hybridInFlight, key, create, commit, cancellationToken);

    /// <summary>
    /// Joins the factory call running for <paramref name="key"/> in <paramref name="calls"/>, or starts one:
    /// <paramref name="create"/> makes the payload, <paramref name="commit"/> stores it (before waiters are
    /// released, so a caller arriving then hits). Concurrent misses on a key make one call.
    /// </summary>
    private ValueTask<object> JoinOrStartAsync(ConcurrentDictionary<string, InFlightCall> calls, string key,
        Func<string, CancellationToken, ValueTask<object>> create, Action<string, object> commit, CancellationToken cancellationToken)
    {
        while (true)
        {
            if (calls.TryGetValue(key, out var running))
            {
                if (running.TryJoin())
                {
                    Interlocked.Increment(ref _coalescedCalls);
                    _metrics.Coalesced();
                    return running.WaitAsync(cancellationToken);
                }

                // Every waiter of that call left and it is being cancelled: start a fresh one in its place.
                var replacement = new InFlightCall();
                if (calls.TryUpdate(key, replacement, running))
                {
                    return Start(replacement);
                }

                replacement.Dispose();
                continue;
            }

            var call = new InFlightCall();
            if (calls.TryAdd(key, call))
            {
                return Start(call);
            }

            call.Dispose();
        }

        ValueTask<object> Start(InFlightCall call)
        {
            _ = RunFactoryAsync(calls, call, key, create, commit);
            return call.WaitAsync(cancellationToken);
        }
    }

    // Never throws: the outcome goes to the call's waiters.
    private async Task RunFactoryAsync(ConcurrentDictionary<string, InFlightCall> calls, InFlightCall call, string key,
        Func<string, CancellationToken, ValueTask<object>> create,
        Action<string, object> commit)
    {
        var timeProvider = _engine.Clock.TimeProvider;
        var started = timeProvider.GetTimestamp();
        Interlocked.Increment(ref _factoryCalls);
        try
        {
            var value = await create(key, call.FactoryToken).ConfigureAwait(false);

            // Store before releasing the key, so a caller arriving now hits instead of starting another call.
            commit(key, value);
            calls.TryRemove(new KeyValuePair<string, InFlightCall>(key, call));
            call.SetResult(value);
        }
        catch (OperationCanceledException) when (call.FactoryToken.IsCancellationRequested)
        {
            calls.TryRemove(new KeyValuePair<string, InFlightCall>(key, call));
            call.SetCanceled();
        }
        catch (Exception exception)
        {
            calls.TryRemove(new KeyValuePair<string, InFlightCall>(key, call));
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
