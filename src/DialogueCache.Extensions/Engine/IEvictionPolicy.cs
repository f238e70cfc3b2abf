namespace Dialogue.Caching.Engine;

/// <summary>
/// Decides which live entry leaves a full cache. The engine calls every member under its lock, except
/// <see cref="OnRead"/> and <see cref="OnMissed"/>, which it calls under its counts lock (alone or inside the engine
/// lock), so implementations need no synchronization of their own; what those two change may be read, racily,
/// under the engine lock. Hits are not reported one by one: they stamp the node
/// (<see cref="CacheNode.Stamp"/>, <see cref="CacheNode.Touched"/>) and a policy orders nodes by those stamps when it
/// looks for a victim (<see cref="RecencyOrder"/>). Expired entries are the engine's business (they leave first); a
/// policy orders the live ones.
/// </summary>
internal interface IEvictionPolicy
{
    /// <summary>A node entered the cache; its stamp is newer than every other.</summary>
    void OnAdded(CacheNode node);

    /// <summary><paramref name="reads"/> hits on <paramref name="node"/> were counted (the engine folds them in batches).</summary>
    void OnRead(CacheNode node, long reads);

    /// <summary>A read found no entry for the key whose hash code is <paramref name="hash"/>.</summary>
    void OnMissed(int hash);

    /// <summary>A node left the cache (evicted, invalidated, replaced or expired).</summary>
    void OnRemoved(CacheNode node);

    /// <summary>
    /// The live node to evict next, or null when there is none: never <paramref name="added"/>, the node whose
    /// arrival overfilled the cache (the newest entry always goes in), even when that means evicting a
    /// NeverRemove entry.
    /// </summary>
    CacheNode? SelectVictim(CacheNode added);

    /// <summary>Every node left the cache; <paramref name="forEach"/> is called for each node the policy held.</summary>
    void Clear(Action<CacheNode> forEach);
}
