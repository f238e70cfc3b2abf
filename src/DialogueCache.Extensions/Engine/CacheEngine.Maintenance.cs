using System.Runtime.CompilerServices;

namespace Dialogue.Caching.Engine;

/// <summary>The engine's work under its locks: counting buffered requests and folded reads, linking and unlinking nodes, evicting.</summary>
internal sealed partial class CacheEngine
{
    /// <summary>Records a miss (its key) or a node whose hits are due to be counted, in the buffer drained into the counts.</summary>
    private void RecordRequest(object item, int hash)
    {
        if (!_requests.TryAdd(item, hash))
        {
            RecordRequestSlow(item, hash);
        }
    }

    // The stripe is full: count what the buffer holds, or, while another thread is doing just that (it empties this
    // stripe too), wait for room by spinning a while before sleeping on the lock; nothing is dropped.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private void RecordRequestSlow(object item, int hash)
    {
        const int SpinsBeforeWaiting = 20;
        var spinner = default(SpinWait);
        do
        {
            if (spinner.Count >= SpinsBeforeWaiting ? _counts.TryEnter(Timeout.Infinite) : _counts.TryEnter())
            {
                try
                {
                    DrainRequests();
                }
                finally
                {
                    _counts.Exit();
                }
            }
            else
            {
                spinner.SpinOnce(sleep1Threshold: -1);
            }
        }
        while (!_requests.TryAdd(item, hash));
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void RemoveIfExpired(CacheNode node)
    {
        // Decided before taking the lock: a change token's HasChanged is user code.
        var now = _clock.Now;
        if ((node.ExpiresAt <= now ? RemovalCause.Expired : node.Options?.ExpiredCause(now)) is not { } cause)
        {
            return;
        }

        var tally = default(RemovalTally);
        lock (_sync)
        {
            RemoveNode(node, cause, ref tally);
        }

        Report(tally);
    }

    /// <summary>Counts the buffered requests (misses, nodes due a fold) in the top keys and the policy's frequency sketch. Under <see cref="_counts"/>.</summary>
    private void DrainRequests(bool count = true)
    {
        var drained = _requests.DrainTo(_drainScratch);
        for (var i = 0; i < drained; i++)
        {
            ref var request = ref _drainScratch[i];

            // Clear drops what was buffered with the counts it resets.
            if (count)
            {
                CountRequest(request);
            }

            request.Item = null;
        }
    }

    private void CountRequest(in RequestBuffer.Request request)
    {
        if (request.Item is CacheNode node)
        {
            // A node removed meanwhile had its hits folded as it left.
            if (node.IsLive)
            {
                FoldReads(node);
            }

            return;
        }

        _policy.OnMissed(request.Hash);
        _topKeys.Record((string)request.Item!, 1, request.Hash);
    }

    /// <summary>Moves the hits counted on <paramref name="node"/> into the top keys and the policy's frequency sketch.</summary>
    private void FoldReads(CacheNode node)
    {
        if (node.Reads == 0)
        {
            return;
        }

        lock (_counts)
        {
            var reads = node.Reads;

            // A hit racing with this may be counted twice or not at all: top keys are exact on one thread, close
            // under concurrency.
            node.Reads = 0;
            if (node.Key is string key)
            {
                _topKeys.Record(key, reads, node.Hash);
            }

            _policy.OnRead(node, reads);
        }
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
            lock (_counts)
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
        node.Stamp = _reads.NextWriteStamp(_clock.Now);
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
        EvictOverflow(node, ref tally);
    }

    // A full cache drops expired entries before live ones, then the policy's victim (never the node just added).
    private void EvictOverflow(CacheNode added, ref RemovalTally tally)
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
                RemoveNode(_policy.SelectVictim(added)!, RemovalCause.Capacity, ref tally);
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
