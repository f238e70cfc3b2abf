using System.Runtime.CompilerServices;

namespace Dialogue.Caching.Engine;

/// <summary>The engine's work under its lock: applying buffered reads, linking and unlinking nodes, evicting.</summary>
internal sealed partial class CacheEngine
{
    // A stripe of the read buffer is full: apply the buffered reads now if nobody else is, else drop this
    // read (another thread is already draining; the order becomes slightly approximate, never wrong).
    [MethodImpl(MethodImplOptions.NoInlining)]
    private void OnReadBufferFull(object read)
    {
        if (!_sync.TryEnter())
        {
            return;
        }

        try
        {
            DrainReads();
        }
        finally
        {
            _sync.Exit();
        }

        _readBuffer.TryAdd(read);
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

    /// <summary>Applies buffered reads in the order each thread made them: recency now, top keys in batches.</summary>
    private void DrainReads()
    {
        var count = _readBuffer.DrainTo(_drainScratch);
        for (var i = 0; i < count; i++)
        {
            var read = _drainScratch[i];
            _drainScratch[i] = null;
            if (read is CacheNode node)
            {
                // A node removed after it was read must not re-enter the policy's list.
                if (node.IsLive)
                {
                    _policy.OnAccessed(node);
                }

                // Counted on the node; the summary gets the sum later, one update per key instead of per read.
                if (node.Key is string && node.PendingReads++ == 0)
                {
                    _pendingReads.Add(node);
                }
            }
            else
            {
                // A miss: only the key was recorded.
                var key = (string)read!;
                var hash = NodeTable.HashOf(key);
                _policy.OnMissed(hash);
                _topKeys.Record(key, 1, hash);
            }
        }

        if (_pendingReads.Count >= PendingReadsFoldThreshold)
        {
            FoldPendingReads();
        }
    }

    /// <summary>Adds the reads counted on nodes to the top-keys summary.</summary>
    private void FoldPendingReads()
    {
        foreach (var node in _pendingReads)
        {
            FoldPendingReads(node);
        }

        _pendingReads.Clear();
    }

    private void FoldPendingReads(CacheNode node)
    {
        if (node.PendingReads > 0)
        {
            _topKeys.Record((string)node.Key, node.PendingReads, node.Hash);
            node.PendingReads = 0;
        }
    }

    private void AddOrReplace(CacheNode node, ref RemovalTally tally)
    {
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

        // Its reads still count; the node may stay in the pending list, with nothing left to add.
        FoldPendingReads(node);
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
