namespace Dialogue.Caching.Benchmarks.Profiling;

/// <summary>The pieces of DialogueCache's hit path that <see cref="HitPathReplica"/> can switch on one by one.</summary>
[Flags]
internal enum HitPathParts
{
    /// <summary>Only the ConcurrentDictionary lookup of the node.</summary>
    None = 0,

    /// <summary>The expiry check: <c>node.ExpiresAt &gt; Environment.TickCount64 * 10_000</c> (CacheClock.Now).</summary>
    Clock = 1,

    /// <summary>The striped hit counter: one <c>Interlocked.Increment</c> on a padded cell chosen by thread id (StripedCounter).</summary>
    Counter = 2,

    /// <summary>The lossy read buffer: a CAS on the stripe's tail and a slot write (ReadBuffer); a full stripe is drained under the lock.</summary>
    Buffer = 4,

    /// <summary>The drain moves each read node to the front of the recency list (LruPolicy.OnAccessed).</summary>
    Lru = 8,

    /// <summary>The drain counts each read in the Space-Saving top-keys heap (TopKeysSummary.TryIncrement, a sift-down).</summary>
    TopKeys = 16,

    /// <summary>Proposal: the drain counts only every 16th read in the top keys, with weight 16.</summary>
    SampledTopKeys = 32,

    /// <summary>Today's hit path, minus the façade (argument check, metrics branch, value cast).</summary>
    Today = Clock | Counter | Buffer | Lru | TopKeys,
}
