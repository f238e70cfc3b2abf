using System.Collections.Concurrent;
using Microsoft.Data.Sqlite;

namespace Dialogue.Caching.Sqlite.Internal;

/// <summary>
/// The store's SQL: one write connection with prepared statements (the caller serializes writers), and a small
/// pool of read connections. Every statement is scoped to one cache's rows except the expiry cleanup.
/// </summary>
internal sealed class SqliteEntryTable : IDisposable
{
    private const string T = SqliteSchema.Table;

    private readonly SqliteConnectionFactory _connections;
    private readonly string _cacheName;
    private readonly SqliteConnection _writer;
    private readonly ConcurrentQueue<ReadSession> _readers = new();
    private readonly int _maxPooledReaders = Math.Max(2, Environment.ProcessorCount);
    private readonly SqliteCommand _insert;
    private readonly SqliteCommand _update;
    private readonly SqliteCommand _touch;
    private readonly SqliteCommand _delete;
    private readonly SqliteCommand _deleteContaining;
    private readonly SqliteCommand _deleteAll;
    private readonly SqliteCommand _deleteExpired;
    private readonly SqliteCommand _deleteLeastRecentlyUsed;
    private readonly SqliteCommand _count;
    private readonly SqliteCommand[] _commands;
    private int _disposed;

    public SqliteEntryTable(SqliteConnectionFactory connections, SqliteConnection writer, string cacheName)
    {
        _connections = connections;
        _writer = writer;
        _cacheName = cacheName;
        _insert = Prepare($"INSERT INTO {T} (cache, key, value, expires_at, last_used) VALUES ($cache, $key, $value, $expires, $used) ON CONFLICT (cache, key) DO NOTHING;",
            "$key", "$value", "$expires", "$used");
        _update = Prepare($"UPDATE {T} SET value = $value, expires_at = $expires, last_used = $used WHERE cache = $cache AND key = $key;",
            "$key", "$value", "$expires", "$used");
        _touch = Prepare($"UPDATE {T} SET last_used = $used WHERE cache = $cache AND key = $key AND last_used < $used;", "$key", "$used");
        _delete = Prepare($"DELETE FROM {T} WHERE cache = $cache AND key = $key AND last_used < $before;", "$key", "$before");
        // instr is an exact, case-sensitive substring test, as the cache's InvalidatePattern is: no LIKE wildcards
        // (% and _ match themselves) and no ASCII case folding.
        _deleteContaining = Prepare($"DELETE FROM {T} WHERE cache = $cache AND instr(key, $pattern) > 0 AND last_used < $before;", "$pattern", "$before");
        _deleteAll = Prepare($"DELETE FROM {T} WHERE cache = $cache AND last_used < $before;", "$before");
        // Expired rows of every cache in the file, in small batches so other writers never wait long.
        _deleteExpired = Prepare($"DELETE FROM {T} WHERE rowid IN (SELECT rowid FROM {T} WHERE expires_at <= $now LIMIT $limit);", "$now", "$limit");
        _deleteLeastRecentlyUsed = Prepare($"DELETE FROM {T} WHERE rowid IN (SELECT rowid FROM {T} WHERE cache = $cache ORDER BY last_used, rowid LIMIT $count);", "$count");
        _count = Prepare($"SELECT count(*) FROM {T} WHERE cache = $cache;");
        _commands = [_insert, _update, _touch, _delete, _deleteContaining, _deleteAll, _deleteExpired, _deleteLeastRecentlyUsed, _count];
    }

    /// <summary>Runs <paramref name="work"/> in one write transaction (<c>BEGIN IMMEDIATE</c>); rolls back if it throws.</summary>
    public TResult Write<TState, TResult>(TState state, Func<SqliteEntryTable, TState, TResult> work)
    {
        using var transaction = _writer.BeginTransaction();
        SetTransaction(transaction);
        try
        {
            var result = work(this, state);
            transaction.Commit();
            return result;
        }
        finally
        {
            SetTransaction(null);
        }
    }

    /// <summary>Stores an entry; true when the row is new, false when it replaced one.</summary>
    public bool Upsert(string key, object value, long expiresAt, long lastUsed)
    {
        if (Bind(_insert, key, value, expiresAt, lastUsed).ExecuteNonQuery() == 1)
        {
            return true;
        }

        Bind(_update, key, value, expiresAt, lastUsed).ExecuteNonQuery();
        return false;
    }

    public void Touch(string key, long lastUsed)
    {
        _touch.Parameters["$key"].Value = key;
        _touch.Parameters["$used"].Value = lastUsed;
        _touch.ExecuteNonQuery();
    }

    /// <summary>Deletes the row of <paramref name="key"/> if its <c>last_used</c> is below <paramref name="before"/>.</summary>
    public int Delete(string key, long before)
    {
        _delete.Parameters["$key"].Value = key;
        _delete.Parameters["$before"].Value = before;
        return _delete.ExecuteNonQuery();
    }

    /// <summary>Deletes the rows whose key contains <paramref name="pattern"/> and whose <c>last_used</c> is below <paramref name="before"/>.</summary>
    public int DeleteContaining(string pattern, long before)
    {
        _deleteContaining.Parameters["$pattern"].Value = pattern;
        _deleteContaining.Parameters["$before"].Value = before;
        return _deleteContaining.ExecuteNonQuery();
    }

    /// <summary>Deletes this cache's rows whose <c>last_used</c> is below <paramref name="before"/>.</summary>
    public int DeleteAll(long before)
    {
        _deleteAll.Parameters["$before"].Value = before;
        return _deleteAll.ExecuteNonQuery();
    }

    /// <summary>Deletes at most <paramref name="limit"/> expired rows (of every cache in the file).</summary>
    public int DeleteExpired(long now, int limit)
    {
        _deleteExpired.Parameters["$now"].Value = now;
        _deleteExpired.Parameters["$limit"].Value = limit;
        return _deleteExpired.ExecuteNonQuery();
    }

    public int DeleteLeastRecentlyUsed(long count)
    {
        _deleteLeastRecentlyUsed.Parameters["$count"].Value = count;
        return _deleteLeastRecentlyUsed.ExecuteNonQuery();
    }

    public long Count() => (long)_count.ExecuteScalar()!;

    /// <summary>Reads one entry on a pooled read connection.</summary>
    public (object Value, long ExpiresAt)? Lookup(string key)
    {
        var session = Rent();
        try
        {
            return session.Lookup(key);
        }
        finally
        {
            Return(session);
        }
    }

    /// <summary>The live entries of this cache, most recently used first, at most <paramref name="limit"/>.</summary>
    public List<DialogueCacheStoreEntry> LoadMostRecent(long now, int limit)
    {
        var entries = new List<DialogueCacheStoreEntry>();
        var session = Rent();
        try
        {
            using var command = session.Connection.CreateCommand();
            command.CommandText = $"SELECT key, value, expires_at FROM {T} WHERE cache = $cache AND expires_at > $now ORDER BY last_used DESC, rowid DESC LIMIT $limit;";
            command.Parameters.AddWithValue("$cache", _cacheName);
            command.Parameters.AddWithValue("$now", now);
            command.Parameters.AddWithValue("$limit", limit);
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                entries.Add(new DialogueCacheStoreEntry(reader.GetString(0), reader.GetValue(1), UnixTime.ToDateTimeOffset(reader.GetInt64(2))));
            }
        }
        finally
        {
            Return(session);
        }

        return entries;
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        foreach (var command in _commands)
        {
            command.Dispose();
        }

        _writer.Dispose();
        while (_readers.TryDequeue(out var session))
        {
            session.Dispose();
        }
    }

    private ReadSession Rent()
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        if (_readers.TryDequeue(out var session))
        {
            return session;
        }

        var connection = _connections.Open();
        try
        {
            return new ReadSession(connection, _cacheName);
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    private void Return(ReadSession session)
    {
        if (Volatile.Read(ref _disposed) != 0 || _readers.Count >= _maxPooledReaders)
        {
            session.Dispose();
            return;
        }

        _readers.Enqueue(session);
        if (Volatile.Read(ref _disposed) != 0 && _readers.TryDequeue(out var late))
        {
            // Disposed while this one was being returned: do not leave an open connection behind.
            late.Dispose();
        }
    }

    private SqliteCommand Prepare(string sql, params string[] parameters)
    {
        var command = _writer.CreateCommand();
        command.CommandText = sql;
        command.Parameters.AddWithValue("$cache", _cacheName);
        foreach (var name in parameters)
        {
            // No declared type: each value binds as what it is (string as TEXT, byte[] as BLOB, long as INTEGER).
            command.Parameters.Add(new SqliteParameter { ParameterName = name, Value = DBNull.Value });
        }

        return command;
    }

    private static SqliteCommand Bind(SqliteCommand command, string key, object value, long expiresAt, long lastUsed)
    {
        command.Parameters["$key"].Value = key;
        command.Parameters["$value"].Value = value;
        command.Parameters["$expires"].Value = expiresAt;
        command.Parameters["$used"].Value = lastUsed;
        return command;
    }

    private void SetTransaction(SqliteTransaction? transaction)
    {
        foreach (var command in _commands)
        {
            command.Transaction = transaction;
        }
    }
}
