using System.Diagnostics.CodeAnalysis;
using System.Numerics;
using System.Runtime.CompilerServices;

namespace Dialogue.Caching.Engine;

/// <summary>
/// The engine's hash table: buckets of chained <see cref="CacheNode"/>s, the nodes themselves being the chain
/// links (<see cref="CacheNode.NextInBucket"/>). Reads take no lock; changes are made under the engine lock.
/// </summary>
/// <remarks>
/// <para>Why not ConcurrentDictionary: its own node (48 bytes) per entry, beside ours, and locking of its own that
/// the engine lock already makes redundant. A cache knows its largest size, so the bucket array is sized once
/// (the next power of two at or above MaxSize) and never resized: no reader ever sees chains being rebuilt.</para>
/// <para>Reads stay correct without a lock because a chain is only changed in ways a reader in the middle of it
/// survives: a node is published at the head of its chain with a release write after it is complete, and a
/// removed node keeps its link to the rest of the chain (a reader standing on it walks on). Replacing a value
/// adds the new node before unlinking the old one, so a reader finds one of the two.</para>
/// <para>String keys are placed by <see cref="KeyHash"/>, fast and seeded per process. Prompts are user input,
/// so, as ConcurrentDictionary does, the table watches for a chain growing long (crafted colliding keys) and then
/// switches, once, to the runtime's randomized hash; readers during that one rebuild may miss an entry.</para>
/// </remarks>
internal sealed class NodeTable
{
    /// <summary>A chain this long at an insert means colliding keys, not chance (the load factor is at most 1).</summary>
    private const int FloodingChainLength = 64;

    private readonly int _mask;
    private State _state;

    public NodeTable(int maxSize)
    {
        var size = (int)BitOperations.RoundUpToPowerOf2((uint)Math.Clamp(maxSize, 16, 1 << 30));
        _state = new State(new CacheNode?[size], Randomized: false);
        _mask = size - 1;
    }

    /// <summary>The hash every node carries (<see cref="CacheNode.Hash"/>), used by the sketches as well as the table.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int HashOf(object key) => key is string text ? KeyHash.Of(text) : key.GetHashCode();

    /// <summary>The node whose key is <paramref name="key"/> (ordinal), live or not.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryGetValue(string key, [MaybeNullWhen(false)] out CacheNode node) => TryGetValue(key, KeyHash.Of(key), out node);

    /// <summary>The node with the same key as <paramref name="probe"/> (its hash already known), live or not.</summary>
    public bool TryGetSameKey(CacheNode probe, [MaybeNullWhen(false)] out CacheNode node) =>
        probe.Key is string text ? TryGetValue(text, probe.Hash, out node) : TryGetValue(probe.Key, out node);

    /// <summary>The node whose key is <paramref name="key"/>, whose <see cref="KeyHash"/> is <paramref name="hash"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryGetValue(string key, int hash, [MaybeNullWhen(false)] out CacheNode node)
    {
        var state = Volatile.Read(ref _state);
        var current = Volatile.Read(ref state.Buckets[(state.Randomized ? key.GetHashCode() : hash) & _mask]);
        while (current is not null)
        {
            if (current.Hash == hash && current.Key is string candidate && string.Equals(candidate, key, StringComparison.Ordinal))
            {
                node = current;
                return true;
            }

            current = current.NextInBucket;
        }

        node = null;
        return false;
    }

    /// <summary>The node whose key equals <paramref name="key"/> (a key of any type).</summary>
    public bool TryGetValue(object key, [MaybeNullWhen(false)] out CacheNode node)
    {
        if (key is string text)
        {
            return TryGetValue(text, out node);
        }

        var hash = key.GetHashCode();
        var current = Volatile.Read(ref Volatile.Read(ref _state).Buckets[hash & _mask]);
        while (current is not null)
        {
            if (current.Hash == hash && current.Key is not string && current.Key.Equals(key))
            {
                node = current;
                return true;
            }

            current = current.NextInBucket;
        }

        node = null;
        return false;
    }

    /// <summary>Adds a node whose key is not in the table, or replaces <paramref name="previous"/>. Under the engine lock.</summary>
    public void Add(CacheNode node, CacheNode? previous)
    {
        ref var head = ref Bucket(_state, node);
        if (!_state.Randomized && node.Key is string && ChainLength(head) >= FloodingChainLength)
        {
            SwitchToRandomizedHash();
            head = ref Bucket(_state, node);
        }

        node.NextInBucket = head;
        Volatile.Write(ref head, node);
        if (previous is not null)
        {
            Remove(previous);
        }
    }

    /// <summary>Unlinks <paramref name="node"/> from its chain; false when it was not there. Under the engine lock.</summary>
    public bool Remove(CacheNode node)
    {
        ref var link = ref Bucket(_state, node);
        while (link is not null)
        {
            if (ReferenceEquals(link, node))
            {
                // The node keeps its own link: a reader standing on it walks on into the rest of the chain.
                Volatile.Write(ref link, node.NextInBucket);
                return true;
            }

            link = ref link.NextInBucketRef;
        }

        return false;
    }

    /// <summary>Drops every node at once; readers still walking the old buckets finish there. Under the engine lock.</summary>
    public void Clear() => Volatile.Write(ref _state, _state with { Buckets = new CacheNode?[_state.Buckets.Length] });

    /// <summary>Every node in the table now (a moving snapshot: nodes added or removed meanwhile may or may not appear).</summary>
    public IEnumerable<CacheNode> Nodes()
    {
        var buckets = Volatile.Read(ref _state).Buckets;
        for (var i = 0; i < buckets.Length; i++)
        {
            for (var node = Volatile.Read(ref buckets[i]); node is not null; node = node.NextInBucket)
            {
                yield return node;
            }
        }
    }

    private static int ChainLength(CacheNode? head)
    {
        var length = 0;
        for (var node = head; node is not null; node = node.NextInBucket)
        {
            length++;
        }

        return length;
    }

    private ref CacheNode? Bucket(State state, CacheNode node) =>
        ref state.Buckets[(state.Randomized && node.Key is string text ? text.GetHashCode() : node.Hash) & _mask];

    // Chains are rebuilt in a new array by the runtime's randomized string hash; readers on the old array may
    // miss an entry while its link is rewritten. Happens at most once, and only under colliding input.
    internal void SwitchToRandomizedHash()
    {
        var next = new State(new CacheNode?[_state.Buckets.Length], Randomized: true);
        foreach (var node in Nodes().ToList())
        {
            ref var head = ref Bucket(next, node);
            node.NextInBucket = head;
            head = node;
        }

        Volatile.Write(ref _state, next);
    }

    /// <summary>Whether colliding keys made the table switch to the randomized hash.</summary>
    internal bool IsRandomized => Volatile.Read(ref _state).Randomized;

    private sealed record State(CacheNode?[] Buckets, bool Randomized);
}
