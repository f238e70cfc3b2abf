using System.Diagnostics.CodeAnalysis;

namespace Dialogue.Caching;

/// <summary>
/// Tier-aware reads and writes of raw payloads (a string or bytes) for faces that decide per call which tier to
/// use, as HybridCache's entry flags do. Reads count a hit or a miss like every other read.
/// </summary>
public sealed partial class DialogueCache
{
    internal TimeProvider TimeProvider => _engine.Clock.TimeProvider;

    /// <summary>Reads <paramref name="key"/> from memory and/or the store; counts a hit or a miss.</summary>
    internal bool TryGetPayload(string key, bool readMemory, bool readStore, [NotNullWhen(true)] out object? payload)
    {
        if (readMemory && _engine.TryGetHit(key, out var node) && node.Value is { } value)
        {
            _metrics.Hit();
            payload = value;
            return true;
        }

        if (readStore && _store is not null && TryReadStore(key, out payload))
        {
            return true;
        }

        CountMiss(key);
        payload = null;
        return false;
    }

    /// <summary>As <see cref="TryGetPayload"/>, reading the store asynchronously; null on a miss.</summary>
    internal async ValueTask<object?> GetPayloadAsync(string key, bool readMemory, bool readStore, CancellationToken cancellationToken)
    {
        if (readMemory && _engine.TryGetHit(key, out var node) && node.Value is { } value)
        {
            _metrics.Hit();
            return value;
        }

        if (readStore && _store is not null && await ReadStoreAsync(key, cancellationToken).ConfigureAwait(false) is { } stored)
        {
            return stored;
        }

        CountMiss(key);
        return null;
    }

    /// <summary>Writes a payload to memory (living <paramref name="memoryTtl"/>) and/or the store (living <paramref name="ttl"/>).</summary>
    internal void SetPayload(string key, object payload, TimeSpan ttl, TimeSpan memoryTtl, bool writeMemory, bool writeStore)
    {
        if (writeMemory)
        {
            _engine.Set(key, payload, _engine.Clock.ExpiryFor(memoryTtl));
        }

        if (writeStore && _store is not null)
        {
            var utcNow = _engine.Clock.TimeProvider.GetUtcNow();
            var expiresAt = ttl >= DateTimeOffset.MaxValue - utcNow ? DateTimeOffset.MaxValue : utcNow + ttl;
            StoreCall("set", new DialogueCacheStoreEntry(key, payload, expiresAt), static (store, entry) => store.Set(entry));
        }
    }

    /// <summary>Removes <paramref name="key"/> from memory and the store.</summary>
    internal void RemovePayload(string key) => RemoveEverywhere(key);
}
