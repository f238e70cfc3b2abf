namespace Dialogue.Caching.Engine;

/// <summary>
/// Entries removed by one engine operation, counted under the lock and reported after it is released, so no
/// metric listener or eviction callback (user code) runs while the lock is held.
/// </summary>
internal struct RemovalTally
{
    public int Capacity;
    public int Expired;
    public int Removed;
    public int Cleared;

    /// <summary>Removed nodes that have callbacks or token registrations, with why they left.</summary>
    public List<(CacheNode Node, RemovalCause Cause)>? Notifications;

    public readonly bool IsEmpty => (Capacity | Expired | Removed | Cleared) == 0 && Notifications is null;

    public void Record(CacheNode node, RemovalCause cause)
    {
        switch (cause)
        {
            case RemovalCause.Capacity: Capacity++; break;
            case RemovalCause.Expired or RemovalCause.TokenExpired: Expired++; break;
            case RemovalCause.Removed: Removed++; break;
            case RemovalCause.Cleared: Cleared++; break;
            default: break;
        }

        if (node.Options is { NeedsNotification: true })
        {
            (Notifications ??= []).Add((node, cause));
        }
    }
}
