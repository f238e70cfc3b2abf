using Dialogue.Caching.Engine;

namespace Dialogue.Caching;

/// <summary>
/// Tier-aware reads and writes of raw payloads (a string or bytes) for faces that decide per call which tier to
/// use, as HybridCache's entry flags do. Reads count a hit or a miss like every other read.
/// </summary>
public sealed partial class DialogueCache
{
    internal TimeProvider TimeProvider => _engine.Clock.TimeProvider;

    /// <summary>
    /// Reads <paramref name="key"/> from memory and/or the store and counts one hit or one miss. A payload that
    /// <paramref name="accept"/> refuses (invalidated, not in the caller's format) is a miss: its memory copy is
    /// dropped and a refused store copy does not fill memory.
    /// </summary>
    /// <param name="key">The key.</param>
    /// <param name="readMemory">Look in memory.</param>
    /// <param name="readStore">Look in the store (when there is one) after a memory miss.</param>
    /// <param name="fillMemoryTtl">
    /// Null: a store hit is not copied into memory. Otherwise how long the memory copy of a store hit may live
    /// at most (never beyond the stored entry's own expiry).
    /// </param>
    /// <param name="accept">Decides whether a payload found is usable; null accepts every payload.</param>
    /// <param name="cancellationToken">Aborts the store read.</param>
    /// <returns>The payload, or null on a miss.</returns>
    internal async ValueTask<object?> GetPayloadAsync(string key, bool readMemory, bool readStore, TimeSpan? fillMemoryTtl,
        Func<object, bool>? accept, CancellationToken cancellationToken)
    {
        if (readMemory && _engine.TryPeek(key, out var node) && node.Value is { } value)
        {
            if (accept is null || accept(value))
            {
                _engine.CountHit(node);
                _metrics.Hit();
                return value;
            }

            _engine.RemoveIfCurrent(node, RemovalCause.Removed);
        }

        if (readStore && StoreServes(key))
        {
            var version = _engine.WriteVersionOf(key);
            var entry = await ReadStoreEntryAsync(key, cancellationToken).ConfigureAwait(false);
            if (entry is { } found && IsUsable(key, found) && (accept is null || accept(found.Value)))
            {
                CountStoreHit(found, fillMemoryTtl is { } ttl ? FillMemory(found, version, ttl) : null);
                return found.Value;
            }

            CountStoreMiss();
        }

        CountMiss(key);
        return null;
    }

    /// <summary>
    /// Writes a payload to memory (living <paramref name="memoryTtl"/>) and/or the store (living <paramref name="ttl"/>).
    /// A write that skips memory drops the memory copy, with or without a store: that copy is older than the payload
    /// and would otherwise be served in its place (hiding the newer stored value, or outliving a value that went nowhere).
    /// </summary>
    internal void SetPayload(string key, object payload, TimeSpan ttl, TimeSpan memoryTtl, bool writeMemory, bool writeStore)
    {
        var node = writeMemory ? _engine.Set(key, payload, _engine.Clock.ExpiryFor(memoryTtl < ttl ? memoryTtl : ttl)) : null;
        if (!writeMemory)
        {
            _engine.Remove(key);
        }

        if (writeStore && StoreServes(key))
        {
            var utcNow = _engine.Clock.TimeProvider.GetUtcNow();
            var expiresAt = ttl >= DateTimeOffset.MaxValue - utcNow ? DateTimeOffset.MaxValue : utcNow + ttl;
            StoreCall("set", new DialogueCacheStoreEntry(key, payload, expiresAt), static (store, entry) => store.Set(entry));
            if (node is not { IsLive: true })
            {
                FenceFillsAfterStore(key);
            }
        }
    }

    /// <summary>Removes <paramref name="key"/> from memory and the store.</summary>
    internal void RemovePayload(string key) => RemoveEverywhere(key);
}
