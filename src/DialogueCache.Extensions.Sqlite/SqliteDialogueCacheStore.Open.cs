using System.Globalization;
using Dialogue.Caching.Sqlite.Internal;
using Microsoft.Data.Sqlite;

namespace Dialogue.Caching.Sqlite;

/// <summary>Opening the file: WAL, an integrity check, moving a corrupt file aside, the schema, the background work.</summary>
public sealed partial class SqliteDialogueCacheStore
{
    /// <summary>The open table, opening the file on first use; null (and reported) when the file cannot be used now.</summary>
    private SqliteEntryTable? GetTable(string operation)
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
                host.ReportError(operation, new ObjectDisposedException(nameof(SqliteDialogueCacheStore)));
                return null;
            }

            if (_refusal is not null)
            {
                host.ReportError(operation, _refusal);
                return null;
            }

            var now = host.TimeProvider.GetTimestamp();
            if (_openFailure is not null && now < _nextOpenAttempt)
            {
                host.ReportError(operation, _openFailure);
                return null;
            }

            try
            {
                table = Open(host);
            }
            catch (Exception exception)
            {
                _openFailure = exception;
                _nextOpenAttempt = now + (long)(ReopenDelay.TotalSeconds * host.TimeProvider.TimestampFrequency);
                host.ReportError(operation, exception);
                return null;
            }

            if (table is null)
            {
                host.ReportError(operation, _refusal!);
                return null;
            }

            _openFailure = null;
            Volatile.Write(ref _table, table);
            StartBackgroundWork(host);
            return table;
        }
    }

    private SqliteEntryTable? Open(IDialogueCacheStoreHost host)
    {
        var path = _connections.Path;
        if (!_connections.ReadOnly && System.IO.Path.GetDirectoryName(path) is { Length: > 0 } directory)
        {
            Directory.CreateDirectory(directory);
        }

        var (writer, refusal) = OpenChecked(host, path);
        if (refusal is not null)
        {
            writer.Dispose();
            _refusal = new InvalidOperationException($"The SQLite store of cache '{host.CacheName}' refused its file: {refusal}");
            Log.FileRefused(_logger, host.CacheName, _refusal.Message);
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

        try
        {
            lock (_writeLock)
            {
                Volatile.Write(ref _rowEstimate, table.Count());
            }
        }
        catch
        {
            table.Dispose();
            throw;
        }

        Log.Opened(_logger, host.CacheName, path, _writeMode, RowEstimate, MaxRows);
        return table;
    }

    // A file that is not a database, or fails SQLite's quick check, is renamed (never deleted) and replaced by a
    // new one, once. A read-only store never renames anything. Nothing is written before the file is known to be
    // ours (or new): a refused file stays byte for byte as it was.
    private (SqliteConnection Writer, string? Refusal) OpenChecked(IDialogueCacheStoreHost host, string path)
    {
        if (!_connections.ReadOnly && SqliteSchema.HasForeignHeader(path))
        {
            MoveAside(host, path, new SqliteException("file is not a database (no SQLite header)", 26));
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
                    EnableWal(connection, host, path);
                    refusal = isNew ? SqliteSchema.Create(connection, path) : null;
                }

                return (connection, refusal);
            }
            catch (Exception exception) when (attempt == 0 && !_connections.ReadOnly && SqliteSchema.IsCorruption(exception))
            {
                connection?.Dispose();
                MoveAside(host, path, exception);
            }
            catch
            {
                connection?.Dispose();
                throw;
            }
        }
    }

    private void EnableWal(SqliteConnection connection, IDialogueCacheStoreHost host, string path)
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
            Log.NotWal(_logger, host.CacheName, path, mode);
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

    private void MoveAside(IDialogueCacheStoreHost host, string path, Exception reason)
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

        Log.CorruptFileMoved(_logger, host.CacheName, path, reason.Message, target);
        host.ReportError("open", reason);
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
