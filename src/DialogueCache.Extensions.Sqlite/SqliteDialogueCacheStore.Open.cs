using System.Globalization;
using Dialogue.Caching.Sqlite.Internal;
using Microsoft.Data.Sqlite;

namespace Dialogue.Caching.Sqlite;

/// <summary>Opening the file: WAL, an integrity check, moving a corrupt file aside, the schema, the background work.</summary>
/// <remarks>
/// Lock order: <c>_writeLock</c>, then <c>_openLock</c>, never the other way round. Nothing reaches the host or the
/// logger under either: what goes wrong is kept in a <see cref="DeferredReports"/> and delivered by whoever
/// releases the last lock.
/// </remarks>
public sealed partial class SqliteDialogueCacheStore
{
    /// <summary>The open table, opening the file on first use; null (and reported) when the file cannot be used now. Call it holding no store lock.</summary>
    private SqliteEntryTable? GetTable(string operation)
    {
        if (Volatile.Read(ref _table) is { } table)
        {
            return table;
        }

        var reports = default(DeferredReports);
        table = GetTable(operation, ref reports);
        reports.Deliver(_host, _logger);
        return table;
    }

    /// <summary>
    /// As <see cref="GetTable(string)"/>, for a caller that may hold <c>_writeLock</c>: failures and log lines go to
    /// <paramref name="reports"/>, for the caller to deliver once it has released its lock.
    /// </summary>
    private SqliteEntryTable? GetTable(string operation, ref DeferredReports reports)
    {
        if (Volatile.Read(ref _table) is { } table)
        {
            return table;
        }

        var host = Host;
        lock (_openLock)
        {
            if (_table is { } opened)
            {
                return opened;
            }

            if (_closed)
            {
                reports.Error(operation, new ObjectDisposedException(nameof(SqliteDialogueCacheStore)));
                return null;
            }

            if (_refusal is not null)
            {
                reports.Error(operation, _refusal);
                return null;
            }

            var now = host.TimeProvider.GetTimestamp();
            if (_openFailure is not null && now < _nextOpenAttempt)
            {
                reports.Error(operation, _openFailure);
                return null;
            }

            try
            {
                table = Open(host, ref reports);
            }
            catch (Exception exception)
            {
                _openFailure = exception;
                _nextOpenAttempt = now + (long)(ReopenDelay.TotalSeconds * host.TimeProvider.TimestampFrequency);
                reports.Error(operation, exception);
                return null;
            }

            if (table is null)
            {
                reports.Error(operation, _refusal!);
                return null;
            }

            _openFailure = null;
            Volatile.Write(ref _table, table);
            StartBackgroundWork(host);
            return table;
        }
    }

    private SqliteEntryTable? Open(IDialogueCacheStoreHost host, ref DeferredReports reports)
    {
        var path = _connections.Path;
        if (!_connections.ReadOnly && System.IO.Path.GetDirectoryName(path) is { Length: > 0 } directory)
        {
            Directory.CreateDirectory(directory);
        }

        var (writer, refusal) = OpenChecked(host, path, ref reports);
        var cacheName = host.CacheName;
        if (refusal is not null)
        {
            writer.Dispose();
            var message = $"The SQLite store of cache '{cacheName}' refused its file: {refusal}";
            _refusal = new InvalidOperationException(message);
            reports.Log(logger => Log.FileRefused(logger, cacheName, message));
            return null;
        }

        SqliteEntryTable table;
        try
        {
            table = new SqliteEntryTable(_connections, writer, host.CacheName);
        }
        catch
        {
            writer.Dispose();
            throw;
        }

        long rows;
        try
        {
            // No _writeLock here (it would invert the lock order): the table is not published yet, so no writer
            // of this process can use it, and its connection is this method's own.
            rows = table.Count();
        }
        catch
        {
            table.Dispose();
            throw;
        }

        Volatile.Write(ref _rowEstimate, rows);
        var (writeMode, maxRows) = (_writeMode, MaxRows);
        reports.Log(logger => Log.Opened(logger, cacheName, path, writeMode, rows, maxRows));
        return table;
    }

    // A file that is not a database, or fails SQLite's quick check, is renamed (never deleted) and replaced by a
    // new one, once. A read-only store never renames anything. Nothing is written before the file is known to be
    // ours (or new): a refused file stays byte for byte as it was.
    private (SqliteConnection Writer, string? Refusal) OpenChecked(IDialogueCacheStoreHost host, string path, ref DeferredReports reports)
    {
        if (!_connections.ReadOnly && SqliteSchema.HasForeignHeader(path))
        {
            MoveAside(host, path, new SqliteException("file is not a database (no SQLite header)", 26), ref reports);
        }

        for (var attempt = 0; ; attempt++)
        {
            SqliteConnection? connection = null;
            try
            {
                connection = _connections.Open();
                QuickCheck(connection);
                var (isNew, refusal) = SqliteSchema.Inspect(connection, path, _connections.ReadOnly);
                if (refusal is null)
                {
                    EnableWal(connection, host, path, ref reports);
                    refusal = isNew ? SqliteSchema.Create(connection, path) : null;
                }

                return (connection, refusal);
            }
            catch (Exception exception) when (attempt == 0 && !_connections.ReadOnly && SqliteSchema.IsCorruption(exception))
            {
                connection?.Dispose();
                MoveAside(host, path, exception, ref reports);
            }
            catch
            {
                connection?.Dispose();
                throw;
            }
        }
    }

    private static void EnableWal(SqliteConnection connection, IDialogueCacheStoreHost host, string path, ref DeferredReports reports)
    {
        string mode;
        try
        {
            // Persistent in the file: readers never block the writer, and a commit is one append to the log.
            mode = SqliteConnectionFactory.Scalar<string>(connection, "PRAGMA journal_mode = WAL;");
        }
        catch (SqliteException exception) when (exception.SqliteErrorCode == 8)
        {
            // Read-only: keep whatever journal mode the file has.
            mode = SqliteConnectionFactory.Scalar<string>(connection, "PRAGMA journal_mode;");
        }

        if (!string.Equals(mode, "wal", StringComparison.OrdinalIgnoreCase))
        {
            var cacheName = host.CacheName;
            reports.Log(logger => Log.NotWal(logger, cacheName, path, mode));
        }
    }

    private static void QuickCheck(SqliteConnection connection)
    {
        var result = SqliteConnectionFactory.Scalar<string>(connection, "PRAGMA quick_check(1);");
        if (!string.Equals(result, "ok", StringComparison.Ordinal))
        {
            throw new SqliteException($"PRAGMA quick_check reported damage: {result}", 11);
        }
    }

    private static void MoveAside(IDialogueCacheStoreHost host, string path, Exception reason, ref DeferredReports reports)
    {
        var stamp = host.TimeProvider.GetUtcNow().UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
        var target = $"{path}.corrupt-{stamp}";
        for (var n = 2; File.Exists(target); n++)
        {
            target = string.Create(CultureInfo.InvariantCulture, $"{path}.corrupt-{stamp}-{n}");
        }

        File.Move(path, target);
        // The log and shared-memory files belong to the damaged file: keep them beside it, out of the new file's way.
        foreach (var suffix in (string[])["-wal", "-shm", "-journal"])
        {
            if (File.Exists(path + suffix))
            {
                File.Move(path + suffix, target + suffix);
            }
        }

        var cacheName = host.CacheName;
        reports.Log(logger => Log.CorruptFileMoved(logger, cacheName, path, reason.Message, target));
        reports.Error("open", reason);
    }

    private void StartBackgroundWork(IDialogueCacheStoreHost host)
    {
        // Timers on the cache's clock, so a fake TimeProvider drives flushes and cleanups in tests.
        var token = _stopping.Token;
        _flushTimer = new PeriodicTimer(_flushInterval, host.TimeProvider);
        _cleanupTimer = new PeriodicTimer(_cleanupInterval, host.TimeProvider);
        var flushTimer = _flushTimer;
        var cleanupTimer = _cleanupTimer;
        _flushLoop = Task.Run(() => FlushLoopAsync(flushTimer, token), CancellationToken.None);
        _cleanupLoop = Task.Run(() => CleanupLoopAsync(cleanupTimer, token), CancellationToken.None);
    }
}
