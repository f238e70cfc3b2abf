namespace Dialogue.Caching.Engine;

/// <summary>
/// Exact least-recently-used order (<see cref="RecencyOrder"/>): the victim is the node whose last write or hit is
/// the oldest. Entries with <c>CacheItemPriority.NeverRemove</c> live in an order of their own that is only evicted
/// from when the other is empty.
/// </summary>
internal sealed class LruPolicy : IEvictionPolicy
{
    private readonly RecencyOrder _normal = new();
    private readonly RecencyOrder _pinned = new();

    public void OnAdded(CacheNode node) => OrderOf(node).Add(node);

    public void OnRead(CacheNode node, long reads)
    {
        // Recency is in the stamps; counts mean nothing to LRU.
    }

    public void OnMissed(int hash)
    {
        // Recency needs nothing from a miss.
    }

    public void OnRemoved(CacheNode node) => OrderOf(node).Remove(node);

    public CacheNode? SelectVictim(CacheNode added)
    {
        var victim = _normal.Oldest();
        return victim is null || ReferenceEquals(victim, added) ? _pinned.Oldest() ?? victim : victim;
    }

    public void Clear(Action<CacheNode> forEach)
    {
        _normal.Clear(forEach);
        _pinned.Clear(forEach);
    }

    private RecencyOrder OrderOf(CacheNode node) => node.Options is { NeverRemove: true } ? _pinned : _normal;
}
