using Dialogue.Caching.Sqlite.Internal;

namespace Dialogue.Caching.Sqlite;

/// <summary>
/// The write queue: entries written behind wait in a bounded channel and in <c>_pending</c> (so reads see them
/// before they reach the file); recency updates of reads wait there too, in both modes. The caller of every
/// member here that takes a <see cref="DeferredReports"/> holds <c>_writeLock</c>, the one writer of the file in
/// this process, and delivers the reports once it has released it.
/// </summary>
public sealed partial class SqliteDialogueCacheStore
{
    /// <summary>The most keys served from memory whose recency one flush writes to the file (one transaction).</summary>
    internal const int MaxTouchesPerFlush = 1024;

    private async Task FlushLoopAsync(PeriodicTimer timer, CancellationToken token)
    {
        try
        {
            while (await timer.WaitForNextTickAsync(token).ConfigureAwait(false))
            {
                Flush("flush", queued: true);
                Signal(ref _loopFlushed);
            }
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            // Disposed.
        }
    }

    /// <summary>
    /// Writes what is queued now (<paramref name="queued"/>) or everything, then the recency of the keys the cache
    /// served from memory since the last flush. Holds <c>_writeLock</c> only while it writes.
    /// </summary>
    private void Flush(string operation, bool queued)
    {
        // Asked before the lock: the host's bookkeeping is none of the file's business.
        var used = TakeUsedKeys();
        var reports = default(DeferredReports);
        lock (_writeLock)
        {
            if (Volatile.Read(ref _disposed) == 0)
            {
                FlushLocked(operation, queued ? _queue.Reader.Count : int.MaxValue, used, ref reports);
            }
        }

        reports.Deliver(_host, _logger);
    }

    /// <summary>
    /// Writes up to <paramref name="limit"/> queued writes, <see cref="MaxBatchSize"/> per transaction, then the
    /// recency of <paramref name="used"/> (keys served from memory, least recently used first).
    /// </summary>
    private void FlushLocked(string operation, int limit, IReadOnlyList<string>? used, ref DeferredReports reports)
    {
        if (_unapplied.Count > 0)
        {
            RetryUnapplied(operation, ref reports);
        }

        List<PendingWrite>? batch = null;
        while (limit > 0 && _queue.Reader.TryRead(out var write))
        {
            limit--;
            batch ??= new List<PendingWrite>(Math.Min(MaxBatchSize, _queue.Reader.Count + 1));
            batch.Add(write);
            if (batch.Count == MaxBatchSize)
            {
                WriteBatch(batch, operation, ref reports);
                batch.Clear();
            }
        }

        if (batch is { Count: > 0 })
        {
            WriteBatch(batch, operation, ref reports);
        }

        if (used is { Count: > 0 })
        {
            WriteTouches(used, operation, ref reports);
        }
    }

    private void WriteBatch(List<PendingWrite> batch, string operation, ref DeferredReports reports)
    {
        // Superseded sets (by a later Set, Remove or Clear) are skipped: the file must not get the older value.
        var sets = batch.OfType<PendingSet>().Where(IsCurrent).ToList();
        try
        {
            var table = GetTable(operation, ref reports);
            if (table is null)
            {
                ForgetFailed(sets);
                return;
            }

            var estimate = table.Write((this, batch, sets), static (table, state) =>
            {
                var (store, batch, sets) = state;
                var rows = Volatile.Read(ref store._rowEstimate);
                foreach (var set in sets)
                {
                    if (table.Upsert(set.Key, set.Entry.Value, UnixTime.ToMilliseconds(set.Entry.ExpiresAt), set.Stamp))
                    {
                        rows++;
                    }
                }

                foreach (var write in batch)
                {
                    if (write is PendingTouch touch)
                    {
                        table.Touch(touch.Key, touch.Stamp);
                    }
                }

                return store.Trim(table, rows);
            });
            Volatile.Write(ref _rowEstimate, estimate);
        }
        catch (Exception exception)
        {
            // A full or read-only disk: the batch is dropped (the memory tier still has it) and reported.
            reports.Error(operation, exception);
            ForgetFailed(sets);
        }
        finally
        {
            foreach (var set in sets)
            {
                _pending.TryRemove(KeyValuePair.Create(set.Key, set));
            }
        }
    }

    /// <summary>Writes one entry in its own transaction (write-through, or a writer that found the queue full).</summary>
    private void WriteNow(PendingSet write, string operation, ref DeferredReports reports)
    {
        try
        {
            if (_writeMode == SqliteWriteMode.WriteBehind && !IsCurrent(write))
            {
                return;
            }

            var table = GetTable(operation, ref reports);
            if (table is null)
            {
                ForgetFailed([write]);
                return;
            }

            var estimate = table.Write((this, write), static (table, state) =>
            {
                var (store, write) = state;
                var rows = Volatile.Read(ref store._rowEstimate);
                if (table.Upsert(write.Key, write.Entry.Value, UnixTime.ToMilliseconds(write.Entry.ExpiresAt), write.Stamp))
                {
                    rows++;
                }

                return store.Trim(table, rows);
            });
            Volatile.Write(ref _rowEstimate, estimate);
        }
        catch (Exception exception)
        {
            reports.Error(operation, exception);
            ForgetFailed([write]);
        }
        finally
        {
            _pending.TryRemove(KeyValuePair.Create(write.Key, write));
        }
    }

    // The file may hold an older value of a key whose write failed: it must go before the file serves reads again.
    private void ForgetFailed(List<PendingSet> sets)
    {
        foreach (var set in sets)
        {
            Remember(new Invalidation(InvalidationKind.Key, set.Key, set.Stamp));
        }
    }

    /// <summary>Applies an invalidation now, or keeps it for the next flush (and stops reading the file meanwhile).</summary>
    private void Apply(Invalidation invalidation, ref DeferredReports reports)
    {
        var table = GetTable(invalidation.Operation, ref reports);
        if (table is not null)
        {
            try
            {
                var deleted = table.Write(invalidation, static (table, invalidation) => invalidation.Apply(table, late: false));
                Volatile.Write(ref _rowEstimate, Math.Max(0, Volatile.Read(ref _rowEstimate) - deleted));
                return;
            }
            catch (Exception exception)
            {
                reports.Error(invalidation.Operation, exception);
            }
        }

        Remember(invalidation);
    }

    private void Remember(Invalidation invalidation)
    {
        if (invalidation.Kind == InvalidationKind.All || _unapplied.Count >= _maxQueueLength)
        {
            // Too many to keep (or a Clear): drop every older row instead, always safe for a cache.
            var stamp = _unapplied.Aggregate(invalidation.Stamp, static (max, pending) => Math.Max(max, pending.Stamp));
            _unapplied.Clear();
            invalidation = new Invalidation(InvalidationKind.All, string.Empty, stamp);
        }

        _unapplied.Add(invalidation);
        Volatile.Write(ref _readsSuspended, true);
    }

    private void RetryUnapplied(string operation, ref DeferredReports reports)
    {
        var table = GetTable(operation, ref reports);
        if (table is null)
        {
            return;
        }

        while (_unapplied.Count > 0)
        {
            var invalidation = _unapplied[0];
            try
            {
                var deleted = table.Write(invalidation, static (table, invalidation) => invalidation.Apply(table, late: true));
                Volatile.Write(ref _rowEstimate, Math.Max(0, Volatile.Read(ref _rowEstimate) - deleted));
                _unapplied.RemoveAt(0);
            }
            catch (Exception exception)
            {
                reports.Error(invalidation.Operation, exception);
                return;
            }
        }

        Volatile.Write(ref _readsSuspended, false);
    }

    private bool IsCurrent(PendingSet write) => _pending.TryGetValue(write.Key, out var current) && ReferenceEquals(current, write);

    // A read served from the file makes its row recent, for the next warm restart and the trim; best effort: when
    // the queue is half full, recency gives way to writes.
    private void EnqueueTouch(string key)
    {
        if (!_connections.ReadOnly && _queue.Reader.Count < _maxQueueLength / 2)
        {
            _queue.Writer.TryWrite(new PendingTouch(key, NextStamp()));
        }
    }

    /// <summary>
    /// The keys the cache served from memory since the last time it was asked, least recently used first, or null.
    /// Asked with no store lock held.
    /// </summary>
    private IReadOnlyList<string>? TakeUsedKeys()
    {
        if (_connections.ReadOnly || _host is not { } host)
        {
            return null;
        }

        try
        {
            return host.TakeRecentlyUsedKeys(MaxTouchesPerFlush);
        }
        catch (Exception exception)
        {
            host.ReportError("flush", exception);
            return null;
        }
    }

    // Memory hits never reach the store: the keys served from memory since the last flush get a recent last_used
    // here, in one transaction, so that the warm restart (most recently used first) and the trim (least recently
    // used go) see the hottest entries as the hottest. A touch only moves an existing row's last_used forward; it
    // never creates a row. Not while a removal waits for its retry: that retry removes only rows older than the
    // removal, and a later stamp would shield a row that must go.
    private void WriteTouches(IReadOnlyList<string> keys, string operation, ref DeferredReports reports)
    {
        if (_unapplied.Count > 0)
        {
            return;
        }

        var table = GetTable(operation, ref reports);
        if (table is null)
        {
            return;
        }

        // Least recently used first, so the stamps (strictly increasing) keep the cache's order.
        var stamps = new long[keys.Count];
        for (var i = 0; i < stamps.Length; i++)
        {
            stamps[i] = NextStamp();
        }

        try
        {
            table.Write((keys, stamps), static (table, state) =>
            {
                var (keys, stamps) = state;
                for (var i = 0; i < stamps.Length; i++)
                {
                    table.Touch(keys[i], stamps[i]);
                }

                return stamps.Length;
            });
        }
        catch (Exception exception)
        {
            reports.Error(operation, exception);
        }
    }
}
