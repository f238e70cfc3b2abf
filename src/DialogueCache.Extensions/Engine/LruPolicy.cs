namespace Dialogue.Caching.Engine;

/// <summary>
/// Exact least-recently-used order as an intrusive doubly linked list: the head is the most recently used
/// node, the tail the victim. Every operation is O(1).
/// </summary>
internal sealed class LruPolicy
{
    private CacheNode? _head;
    private CacheNode? _tail;

    public void OnAdded(CacheNode node) => PushFront(node);

    public void OnAccessed(CacheNode node)
    {
        if (!ReferenceEquals(node, _head))
        {
            Unlink(node);
            PushFront(node);
        }
    }

    public void OnRemoved(CacheNode node) => Unlink(node);

    public CacheNode? SelectVictim() => _tail;

    public void Clear(Action<CacheNode> forEach)
    {
        var node = _head;
        while (node is not null)
        {
            var next = node.Next;
            node.Previous = null;
            node.Next = null;
            forEach(node);
            node = next;
        }

        _head = null;
        _tail = null;
    }

    private void PushFront(CacheNode node)
    {
        node.Previous = null;
        node.Next = _head;
        if (_head is not null)
        {
            _head.Previous = node;
        }

        _head = node;
        _tail ??= node;
    }

    private void Unlink(CacheNode node)
    {
        var previous = node.Previous;
        var next = node.Next;
        if (previous is not null)
        {
            previous.Next = next;
        }
        else if (ReferenceEquals(_head, node))
        {
            _head = next;
        }

        if (next is not null)
        {
            next.Previous = previous;
        }
        else if (ReferenceEquals(_tail, node))
        {
            _tail = previous;
        }

        node.Previous = null;
        node.Next = null;
    }
}
