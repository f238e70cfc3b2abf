namespace Dialogue.Caching.Engine;

/// <summary>
/// Exact least-recently-used order as intrusive doubly linked lists: the head is the most recently used node,
/// the tail the victim. Entries with <c>CacheItemPriority.NeverRemove</c> live on a list of their own that is
/// only evicted from when the other is empty. Every operation is O(1).
/// </summary>
internal sealed class LruPolicy
{
    private NodeList _normal;
    private NodeList _protected;

    public void OnAdded(CacheNode node) => ListOf(node).PushFront(node);

    public void OnAccessed(CacheNode node)
    {
        ref var list = ref ListOf(node);
        if (!ReferenceEquals(node, list.Head))
        {
            list.Unlink(node);
            list.PushFront(node);
        }
    }

    public void OnRemoved(CacheNode node) => ListOf(node).Unlink(node);

    public CacheNode? SelectVictim() => _normal.Tail ?? _protected.Tail;

    public void Clear(Action<CacheNode> forEach)
    {
        _normal.Clear(forEach);
        _protected.Clear(forEach);
    }

    private ref NodeList ListOf(CacheNode node) => ref node.Options is { NeverRemove: true } ? ref _protected : ref _normal;

    private struct NodeList
    {
        public CacheNode? Head;
        public CacheNode? Tail;

        public void PushFront(CacheNode node)
        {
            node.Previous = null;
            node.Next = Head;
            if (Head is not null)
            {
                Head.Previous = node;
            }

            Head = node;
            Tail ??= node;
        }

        public void Unlink(CacheNode node)
        {
            var previous = node.Previous;
            var next = node.Next;
            if (previous is not null)
            {
                previous.Next = next;
            }
            else if (ReferenceEquals(Head, node))
            {
                Head = next;
            }

            if (next is not null)
            {
                next.Previous = previous;
            }
            else if (ReferenceEquals(Tail, node))
            {
                Tail = previous;
            }

            node.Previous = null;
            node.Next = null;
        }

        public void Clear(Action<CacheNode> forEach)
        {
            var node = Head;
            while (node is not null)
            {
                var next = node.Next;
                node.Previous = null;
                node.Next = null;
                forEach(node);
                node = next;
            }

            Head = null;
            Tail = null;
        }
    }
}
