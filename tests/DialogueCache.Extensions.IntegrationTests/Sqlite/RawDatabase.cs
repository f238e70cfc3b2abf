using Microsoft.Data.Sqlite;

namespace Dialogue.Caching.IntegrationTests.Sqlite;

/// <summary>Looks into a store's file through a connection of its own, as another process would.</summary>
internal static class RawDatabase
{
    public const string Table = "dialogue_cache_entries";

    public static SqliteConnection Open(string path)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        connection.Open();
        Execute(connection, "PRAGMA busy_timeout = 10000;");
        return connection;
    }

    public static void Execute(string path, string sql)
    {
        using var connection = Open(path);
        Execute(connection, sql);
    }

    public static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    public static object? Scalar(string path, string sql)
    {
        using var connection = Open(path);
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }

    /// <summary>Every row of the file by key: value, expiry and recency stamp (both Unix milliseconds).</summary>
    public static Dictionary<string, Row> Rows(string path, string cache = "default")
    {
        using var connection = Open(path);
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT key, value, expires_at, last_used FROM {Table} WHERE cache = $cache";
        command.Parameters.AddWithValue("$cache", cache);
        using var reader = command.ExecuteReader();
        var rows = new Dictionary<string, Row>(StringComparer.Ordinal);
        while (reader.Read())
        {
            rows[reader.GetString(0)] = new Row(reader.GetValue(1), reader.GetInt64(2), reader.GetInt64(3));
        }

        return rows;
    }

    public static long Count(string path) => (long)Scalar(path, $"SELECT count(*) FROM {Table}")!;

    public static string IntegrityCheck(string path) => (string)Scalar(path, "PRAGMA integrity_check;")!;

    internal readonly record struct Row(object Value, long ExpiresAt, long LastUsed);
}
