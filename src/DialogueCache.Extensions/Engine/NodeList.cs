namespace Dialogue.Caching.Engine;

/// <summary>
/// An intrusive doubly linked list of nodes threaded through <see cref="CacheNode.Previous"/> and
/// <see cref="CacheNode.Next"/>: the head is the most recently used. A mutable struct, kept in fields of its
/// policy and used by reference.
/// </summary>
internal struct NodeList
{
    public CacheNode? Head;
    public CacheNode? Tail;
    public int Count;

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
        Count++;
    }

    public void Unlink(CacheNode node)
    {
        var previous = node.Previous;
        var next = node.Next;
        if (previous is not null)
        {
            previous.Next = next;
        }
        else
        {
            Head = next;
        }

        if (next is not null)
        {
            next.Previous = previous;
        }
        else
        {
            Tail = previous;
        }

        node.Previous = null;
        node.Next = null;
        Count--;
    }

    public void MoveToFront(CacheNode node)
    {
        if (!ReferenceEquals(node, Head))
        {
            Unlink(node);
            PushFront(node);
        }
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
        Count = 0;
    }
}
