using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;

namespace Dialogue.Caching.Benchmarks.Profiling;

/// <summary>
/// A copy of CacheEngine's hit path (src/DialogueCache.Extensions/Engine) whose pieces can be switched on one at
/// a time, so that each piece's cost on a hit can be measured as the difference between two rows. The engine
/// itself is internal and must not be changed from here; this copy follows it line by line (same map, node
/// layout, clock, counter, buffer, drain, recency list and top-keys heap). The switches are branches on a
/// field: their own cost shows as the difference between the bare ConcurrentDictionary and the lookup-only row.
/// When the engine's hit path changes, change this copy with it (or drop the ladder rows it no longer matches).
/// </summary>
internal sealed class HitPathReplica
{
    private const int CellStride = 16;

    private readonly ConcurrentDictionary<string, ReplicaNode> _map;
    private readonly HitPathParts _parts;
    private readonly long[] _cells;
    private readonly int _cellMask;
    private readonly ReplicaReadBuffer _buffer = new();
    private readonly object?[] _scratch;
    private readonly Lock _sync = new();
    private readonly ReplicaTopKeys _topKeys = new(1024);
    private ReplicaNode? _head;
    private ReplicaNode? _tail;
    private int _sample;

    public HitPathReplica(HitPathParts parts, int capacity)
    {
        _parts = parts;
        _map = new ConcurrentDictionary<string, ReplicaNode>(Environment.ProcessorCount, Math.Min(capacity, 4096), StringComparer.Ordinal);
        var cells = (int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)Math.Clamp(Environment.ProcessorCount * 2, 2, 64));
        _cells = new long[cells * CellStride];
        _cellMask = cells - 1;
        _scratch = new object?[_buffer.Capacity];
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryGet(string key, [MaybeNullWhen(false)] out string value)
    {
        if (_map.TryGetValue(key, out var node)
            && ((_parts & HitPathParts.Clock) == 0 || node.ExpiresAt > Environment.TickCount64 * TimeSpan.TicksPerMillisecond))
        {
            if ((_parts & HitPathParts.Counter) != 0)
            {
                Interlocked.Increment(ref _cells[(Environment.CurrentManagedThreadId & _cellMask) * CellStride]);
            }

            if ((_parts & HitPathParts.Buffer) != 0 && !_buffer.TryAdd(node))
            {
                OnBufferFull(node);
            }

            value = node.Value;
            return true;
        }

        value = null;
        return false;
    }

    public void Set(string key, string value)
    {
        var node = new ReplicaNode(key, value, (Environment.TickCount64 * TimeSpan.TicksPerMillisecond) + TimeSpan.FromMinutes(10).Ticks);
        lock (_sync)
        {
            if (_map.TryGetValue(key, out var previous))
            {
                Unlink(previous);
            }

            _map[key] = node;
            PushFront(node);
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void OnBufferFull(ReplicaNode node)
    {
        if (!_sync.TryEnter())
        {
            return;
        }

        try
        {
            Drain();
        }
        finally
        {
            _sync.Exit();
        }

        _buffer.TryAdd(node);
    }

    private void Drain()
    {
        var count = _buffer.DrainTo(_scratch);
        for (var i = 0; i < count; i++)
        {
            var node = (ReplicaNode)_scratch[i]!;
            _scratch[i] = null;
            if ((_parts & HitPathParts.Lru) != 0 && node.IsLive && !ReferenceEquals(node, _head))
            {
                Unlink(node);
                PushFront(node);
            }

            if ((_parts & HitPathParts.TopKeys) != 0)
            {
                _topKeys.Count(node, 1);
            }
            else if ((_parts & HitPathParts.SampledTopKeys) != 0 && (++_sample & 15) == 0)
            {
                _topKeys.Count(node, 16);
            }
        }
    }

    private void PushFront(ReplicaNode node)
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

    private void Unlink(ReplicaNode node)
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
