using Dialogue.Caching.Engine;
using Dialogue.Caching.Faces;
using Microsoft.Extensions.Caching.Memory;

namespace Dialogue.Caching;

/// <summary>
/// The <see cref="IMemoryCache"/> face: MemoryCache's semantics over the same entries, analytics and metrics.
/// Keys of any type; string keys share the keyspace of the string API.
/// </summary>
public sealed partial class DialogueCache
{
    /// <inheritdoc />
    ICacheEntry IMemoryCache.CreateEntry(object key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return new MemoryCacheEntry(this, key);
    }

    /// <inheritdoc />
    bool IMemoryCache.TryGetValue(object key, out object? value)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (_engine.TryGetHit(key, out var node))
        {
            _metrics.Hit();
            value = ExposeValue(node.Value);
            return true;
        }

        if (key is string text && StoreServes(text) && TryReadStore(text, out var stored))
        {
            value = ExposeValue(stored);
            return true;
        }

        _engine.CountMiss(key);
        _metrics.Miss();
        value = null;
        return false;
    }

    /// <inheritdoc />
    void IMemoryCache.Remove(object key)
    {
        ArgumentNullException.ThrowIfNull(key);
        _engine.Remove(key);
        if (key is string text && StoreServes(text))
        {
            StoreCall("remove", text, static (store, key) => store.Remove(key));
            FenceFillsAfterStore(text);
        }
    }

    /// <inheritdoc />
    MemoryCacheStatistics? IMemoryCache.GetCurrentStatistics() => new()
    {
        CurrentEntryCount = _engine.Count,
        TotalHits = _engine.TotalHits,
        TotalMisses = _engine.TotalMisses,
    };

    /// <summary>Stores an entry configured through <c>CreateEntry</c> (called when the entry is disposed).</summary>
    internal void CommitMemoryCacheEntry(MemoryCacheEntry entry)
    {
        var clock = _engine.Clock;
        var now = clock.Now;
        var utcNow = clock.TimeProvider.GetUtcNow();

        var expiresAt = long.MaxValue;
        var alreadyExpired = false;
        if (entry.AbsoluteExpirationRelativeToNow is { } relative)
        {
            expiresAt = clock.ExpiryFor(relative);
        }

        if (entry.AbsoluteExpiration is { } absolute)
        {
            var remaining = absolute - utcNow;
            alreadyExpired = remaining <= TimeSpan.Zero;
            expiresAt = Math.Min(expiresAt, alreadyExpired ? now : clock.ExpiryFor(remaining));
        }

        // An entry that would never expire gets the cache's time-to-live.
        if (expiresAt == long.MaxValue && entry.SlidingExpiration is null)
        {
            expiresAt = clock.ExpiryFor(_ttl);
        }

        var tokens = entry.Tokens;
        var tokenFired = tokens?.Any(static t => t.HasChanged) == true;
        if (alreadyExpired || tokenFired)
        {
            // As MemoryCache: an entry expired on arrival is not stored, the one it would replace goes, and
            // its own callbacks hear why.
            _engine.Remove(entry.Key, RemovalCause.Replaced);
            _evictions.NotifyNotStored(entry.Key, entry.Value, entry.Callbacks, tokenFired ? EvictionReason.TokenExpired : EvictionReason.Expired);
            return;
        }

        var options = entry.SlidingExpiration is not null || tokens is not null || entry.Callbacks is not null || entry.Priority != CacheItemPriority.Normal
            ? new EntryOptions(entry.SlidingExpiration?.Ticks ?? 0, now, tokens, entry.Callbacks, entry.Priority)
            : null;
        var value = entry.Value is byte[] bytes ? bytes.AsSpan().ToArray() : entry.Value;
        var isText = value is string or byte[];
        if (entry.Key is string && !isText)
        {
            // Before the node is published, so that the string API's reads check what they find from now on.
            _nonTextUnderStringKeys = true;
        }

        var node = _engine.Set(entry.Key, value, expiresAt, options);
        WatchTokens(node);

        if (entry.Key is string key && StoreServes(key))
        {
            if (isText)
            {
                WriteToStore(key, value!, node);
            }
            else
            {
                // A store keeps text only. Its copy of the key is older than this value: it must not come back
                // through the string API once memory lets this value go.
                StoreCall("remove", key, static (store, key) => store.Remove(key));
            }
        }
    }

    // Tokens that can call back remove the entry the moment they fire, as MemoryCache's do; others are
    // checked on every read and sweep.
    private void WatchTokens(CacheNode node)
    {
        if (node.Options?.Tokens is not { } tokens)
        {
            return;
        }

        foreach (var token in tokens)
        {
            if (token.ActiveChangeCallbacks)
            {
                node.Options.AddTokenRegistration(token.RegisterChangeCallback(
                    static state =>
                    {
                        var (engine, fired) = ((CacheEngine, CacheNode))state!;
                        engine.RemoveIfCurrent(fired, RemovalCause.TokenExpired);
                    },
                    (_engine, node)));
            }
        }
    }

    // A byte array read through IMemoryCache is a copy, as through IDistributedCache: nobody can change what
    // the cache holds.
    private static object? ExposeValue(object? value) => value is byte[] bytes ? bytes.AsSpan().ToArray() : value;
}
