using System.Diagnostics.CodeAnalysis;

namespace Dialogue.Caching.Benchmarks.Peers;

/// <summary>
/// The textbook exact LRU: a <see cref="Dictionary{TKey,TValue}"/> of <see cref="LinkedListNode{T}"/> in a
/// <see cref="LinkedList{T}"/>, every operation under one lock. It is both a throughput peer (what a careful
/// hand-written cache costs) and the hit-ratio reference that the <c>Lru</c> policy must stay within 0.5 points of.
/// </summary>
internal sealed class LockedLru
{
    private readonly Dictionary<string, LinkedListNode<KeyValuePair<string, string>>> _map;
    private readonly LinkedList<KeyValuePair<string, string>> _order = new();
    private readonly Lock _sync = new();
    private readonly int _capacity;

    public LockedLru(int capacity)
    {
        _capacity = capacity;
        _map = new Dictionary<string, LinkedListNode<KeyValuePair<string, string>>>(capacity, StringComparer.Ordinal);
    }

    public int Count
    {
        get
        {
            lock (_sync)
            {
                return _map.Count;
            }
        }
    }

    public bool TryGet(string key, [MaybeNullWhen(false)] out string value)
    {
        lock (_sync)
        {
            if (_map.TryGetValue(key, out var node))
            {
                // Most recently used at the front.
                if (node != _order.First)
                {
                    _order.Remove(node);
                    _order.AddFirst(node);
                }

                value = node.Value.Value;
                return true;
            }
        }

        value = null;
        return false;
    }

    public void Set(string key, string value)
    {
        lock (_sync)
        {
            if (_map.TryGetValue(key, out var node))
            {
                _order.Remove(node);
                node.Value = new KeyValuePair<string, string>(key, value);
                _order.AddFirst(node);
                return;
            }

            if (_map.Count >= _capacity)
            {
                var victim = _order.Last!;
                _order.RemoveLast();
                _map.Remove(victim.Value.Key);
            }

            _map.Add(key, _order.AddFirst(new KeyValuePair<string, string>(key, value)));
        }
    }
}
