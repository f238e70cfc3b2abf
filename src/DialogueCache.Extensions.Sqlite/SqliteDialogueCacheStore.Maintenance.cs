using Dialogue.Caching.Sqlite.Internal;

namespace Dialogue.Caching.Sqlite;

/// <summary>Keeping the file small: expired rows deleted in the background, and at most MaxRows rows per cache.</summary>
public sealed partial class SqliteDialogueCacheStore
{
    /// <summary>Expired rows deleted per transaction.</summary>
    internal const int CleanupBatchSize = 1000;

    private async Task CleanupLoopAsync(PeriodicTimer timer, CancellationToken token)
    {
        try
        {
            // Once at once (a restart finds the rows that expired while it was down), then every CleanupInterval.
            do
            {
                Cleanup(token);
                Signal(ref _cleanedUp);
            }
            while (await timer.WaitForNextTickAsync(token).ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            // Disposed.
        }
    }

    private void Cleanup(CancellationToken token)
    {
        if (_connections.ReadOnly)
        {
            return;
        }

        var host = Host;
        int expired = 0, trimmed = 0, deleted;
        try
        {
            var now = NowMilliseconds();
            do
            {
                lock (_writeLock)
                {
                    if (Volatile.Read(ref _table) is not { } table || Volatile.Read(ref _disposed) != 0)
                    {
                        return;
                    }

                    deleted = table.Write(now, static (table, now) => table.DeleteExpired(now, CleanupBatchSize));
                }

                expired += deleted;
            }
            while (deleted == CleanupBatchSize && !token.IsCancellationRequested);

            lock (_writeLock)
            {
                if (Volatile.Read(ref _table) is not { } table || Volatile.Read(ref _disposed) != 0)
                {
                    return;
                }

                // Recount: other processes sharing the file write and delete too.
                var (rows, kept) = table.Write(this, static (table, store) =>
                {
                    var rows = table.Count();
                    return (rows, store.Trim(table, rows));
                });
                Volatile.Write(ref _rowEstimate, kept);
                trimmed = (int)(rows - kept);
            }
        }
        catch (Exception exception)
        {
            host.ReportError("cleanup", exception);
        }

        if (expired + trimmed > 0)
        {
            Log.Cleanup(_logger, host.CacheName, expired, trimmed);
        }
    }

    /// <summary>Deletes the least recently used rows beyond MaxRows; returns how many rows remain (by the estimate).</summary>
    private long Trim(SqliteEntryTable table, long rows)
    {
        var excess = rows - MaxRows;
        return excess <= 0 ? rows : rows - table.DeleteLeastRecentlyUsed(excess);
    }
}
