using System.Runtime.CompilerServices;

namespace Dialogue.Caching.Engine;

/// <summary>The engine's work under its lock: applying buffered reads, linking and unlinking nodes, evicting.</summary>
internal sealed partial class CacheEngine
{
    /// <summary>Records a request that has no node to carry it (a miss) in the buffer a writer or snapshot drains.</summary>
    private void RecordRequest(string key)
    {
        if (!_readBuffer.TryAdd(key))
        {
            OnReadBufferFull(key);
        }
    }

    // A stripe of the buffer is full: apply the buffered requests now if nobody else is, else drop this one (another
    // thread is already draining; the counts become slightly approximate, never wrong).
    [MethodImpl(MethodImplOptions.NoInlining)]
    private void OnReadBufferFull(string key)
    {
        if (!_sync.TryEnter())
        {
            return;
        }

        try
        {
            DrainRequests();
        }
        finally
        {
            _sync.Exit();
        }

        _readBuffer.TryAdd(key);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void RemoveIfExpired(CacheNode node)
    {
        var tally = default(RemovalTally);
        lock (_sync)
        {
            var now = _clock.Now;
            var cause = node.ExpiresAt <= now ? RemovalCause.Expired : node.Options?.ExpiredCause(now);
            if (cause is { } expired)
            {
                RemoveNode(node, expired, ref tally);
            }
        }

        Report(tally);
    }

    /// <summary>Counts the buffered requests without a node (misses) in the top keys and the policy's frequency sketch.</summary>
    private void DrainRequests()
    {
        var count = _readBuffer.DrainTo(_drainScratch);
        for (var i = 0; i < count; i++)
        {
            var key = (string)_drainScratch[i]!;
            _drainScratch[i] = null;
            var hash = NodeTable.HashOf(key);
            _policy.OnMissed(hash);
            _topKeys.Record(key, 1, hash);
        }
    }

    /// <summary>Moves the hits counted on <paramref name="node"/> into the top keys and the policy's frequency sketch.</summary>
    private void FoldReads(CacheNode node)
    {
        var reads = node.Reads;
        if (reads == 0)
        {
            return;
        }

        // A hit racing with this may be counted twice or not at all: top keys are exact on one thread, close under
        // concurrency.
        node.Reads = 0;
        if (node.Key is string key)
        {
            _topKeys.Record(key, reads, node.Hash);
        }

        _policy.OnRead(node, reads);
    }

    /// <summary>Folds the reads of every live node: found by a scan without the lock, folded in batches under it.</summary>
    private void FoldAllReads()
    {
        var read = new List<CacheNode>();
        foreach (var node in _table.Nodes())
        {
            if (node.Reads != 0)
            {
                read.Add(node);
            }
        }

        for (var start = 0; start < read.Count; start += BatchSize)
        {
            var end = Math.Min(start + BatchSize, read.Count);
            lock (_sync)
            {
                for (var i = start; i < end; i++)
                {
                    // A node removed meanwhile had its reads folded as it left (or dropped by Clear).
                    if (read[i].IsLive)
                    {
                        FoldReads(read[i]);
                    }
                }
            }
        }
    }

    private void AddOrReplace(CacheNode node, ref RemovalTally tally)
    {
        // Newer than every read and write so far: the new entry is the most recently used.
        node.Stamp = _hits.NextWriteStamp(_clock.Now);
        BumpVersion(node.Hash);
        if (_table.TryGetSameKey(node, out var previous))
        {
            Unlink(previous);
            tally.Record(previous, RemovalCause.Replaced);
        }
        else
        {
            _count++;
        }

        _table.Add(node, previous);
        Link(node);
        EvictOverflow(ref tally);
    }

    // A full cache drops expired entries before live ones, then the policy's victim.
    private void EvictOverflow(ref RemovalTally tally)
    {
        if (_count <= _maxSize)
        {
            return;
        }

        var now = _clock.Now;
        while (_count > _maxSize)
        {
            if (_expirations.Peek() is { } expired && expired.ExpiresAt <= now)
            {
                RemoveNode(expired, RemovalCause.Expired, ref tally);
            }
            else
            {
                RemoveNode(_policy.SelectVictim()!, RemovalCause.Capacity, ref tally);
            }
        }
    }

    private bool RemoveNode(CacheNode node, RemovalCause cause, ref RemovalTally tally)
    {
        if (!node.IsLive)
        {
            return false;
        }

        if (!_table.Remove(node))
        {
            return false;
        }

        Unlink(node);
        _count--;
        BumpVersion(node.Hash);

        // Its reads still count.
        FoldReads(node);
        tally.Record(node, cause);
        switch (cause)
        {
            case RemovalCause.Capacity: _capacityEvictions++; break;
            case RemovalCause.Expired or RemovalCause.TokenExpired: _expiredEvictions++; break;
            case RemovalCause.Removed: _removedEvictions++; break;
            case RemovalCause.Cleared: _clearedEvictions++; break;
            default: break;
        }

        return true;
    }

    private int RemoveNodes(List<(CacheNode Node, RemovalCause Cause)> nodes)
    {
        var removed = 0;
        for (var start = 0; start < nodes.Count; start += BatchSize)
        {
            var end = Math.Min(start + BatchSize, nodes.Count);
            var tally = default(RemovalTally);
            lock (_sync)
            {
                for (var i = start; i < end; i++)
                {
                    if (RemoveNode(nodes[i].Node, nodes[i].Cause, ref tally))
                    {
                        removed++;
                    }
                }
            }

            Report(tally);
        }

        return removed;
    }

    private void Link(CacheNode node)
    {
        node.IsLive = true;
        _policy.OnAdded(node);
        _expirations.Add(node);
        if (node.Options is not null)
        {
            _withOptions++;
        }
    }

    private void Unlink(CacheNode node)
    {
        node.IsLive = false;
        _policy.OnRemoved(node);
        _expirations.Remove(node);
        if (node.Options is not null)
        {
            _withOptions--;
        }
    }

    private void Report(in RemovalTally tally)
    {
        if (!tally.IsEmpty)
        {
            _observer?.OnRemoved(tally);
        }
    }
}
