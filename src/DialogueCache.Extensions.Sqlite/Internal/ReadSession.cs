using Microsoft.Data.Sqlite;

namespace Dialogue.Caching.Sqlite.Internal;

/// <summary>A read connection with its prepared lookup, rented by one reader at a time (WAL readers never block the writer).</summary>
internal sealed class ReadSession : IDisposable
{
    private readonly SqliteCommand _lookup;
    private readonly SqliteParameter _key;

    public ReadSession(SqliteConnection connection, string cacheName)
    {
        Connection = connection;
        _lookup = connection.CreateCommand();
        _lookup.CommandText = $"SELECT value, expires_at FROM {SqliteSchema.Table} WHERE cache = $cache AND key = $key;";
        _lookup.Parameters.AddWithValue("$cache", cacheName);
        _key = _lookup.Parameters.Add("$key", SqliteType.Text);
        _key.Value = string.Empty;
        _lookup.Prepare();
    }

    public SqliteConnection Connection { get; }

    /// <summary>The stored value (a <see cref="string"/> or a <see cref="byte"/> array) and its expiry, or null.</summary>
    public (object Value, long ExpiresAt)? Lookup(string key)
    {
        _key.Value = key;
        using var reader = _lookup.ExecuteReader();
        if (!reader.Read())
        {
            return null;
        }

        return (reader.GetValue(0), reader.GetInt64(1));
    }

    public void Dispose()
    {
        _lookup.Dispose();
        Connection.Dispose();
    }
}
