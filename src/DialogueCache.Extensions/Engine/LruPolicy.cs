namespace Dialogue.Caching.Engine;

/// <summary>
/// Exact least-recently-used order: the head of a list is the most recently used node, the tail the victim.
/// Entries with <c>CacheItemPriority.NeverRemove</c> live on a list of their own that is only evicted from when
/// the other is empty. Every operation is O(1).
/// </summary>
internal sealed class LruPolicy : IEvictionPolicy
{
    private NodeList _normal;
    private NodeList _pinned;

    public void OnAdded(CacheNode node) => ListOf(node).PushFront(node);

    public void OnAccessed(CacheNode node) => ListOf(node).MoveToFront(node);

    public void OnMissed(int hash)
    {
        // Recency needs nothing from a miss.
    }

    public void OnRemoved(CacheNode node) => ListOf(node).Unlink(node);

    public CacheNode? SelectVictim() => _normal.Tail ?? _pinned.Tail;

    public void Clear(Action<CacheNode> forEach)
    {
        _normal.Clear(forEach);
        _pinned.Clear(forEach);
    }

    private ref NodeList ListOf(CacheNode node) => ref node.Options is { NeverRemove: true } ? ref _pinned : ref _normal;
}
