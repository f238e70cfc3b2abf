namespace Dialogue.Caching.Engine;

/// <summary>
/// Decides which live entry leaves a full cache. The engine calls every member under its lock, after applying
/// buffered reads, so implementations need no synchronization of their own. Expired entries are the engine's
/// business (they leave first); a policy orders the live ones.
/// </summary>
internal interface IEvictionPolicy
{
    /// <summary>A node entered the cache.</summary>
    void OnAdded(CacheNode node);

    /// <summary>A live node was read.</summary>
    void OnAccessed(CacheNode node);

    /// <summary>A read found no entry for the key whose hash code is <paramref name="hash"/>.</summary>
    void OnMissed(int hash);

    /// <summary>A node left the cache (evicted, invalidated, replaced or expired).</summary>
    void OnRemoved(CacheNode node);

    /// <summary>The live node to evict next (never the one just added), or null when there is none.</summary>
    CacheNode? SelectVictim();

    /// <summary>Every node left the cache; <paramref name="forEach"/> is called for each node the policy held.</summary>
    void Clear(Action<CacheNode> forEach);
}
