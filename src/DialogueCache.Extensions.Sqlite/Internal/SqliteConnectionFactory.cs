using System.Globalization;
using Microsoft.Data.Sqlite;

namespace Dialogue.Caching.Sqlite.Internal;

/// <summary>
/// Opens connections to the store's file, each with the per-connection settings the store relies on: the busy
/// timeout, the sync level of the write mode, and no pooling (the store keeps its own few connections open, and a
/// pooled connection would carry one store's settings into another's).
/// </summary>
internal sealed class SqliteConnectionFactory
{
    private readonly string _connectionString;
    private readonly int _busyTimeoutMilliseconds;
    private readonly bool _durableCommits;

    public SqliteConnectionFactory(string connectionString, TimeSpan busyTimeout, bool durableCommits)
    {
        var builder = new SqliteConnectionStringBuilder(connectionString)
        {
            Pooling = false,
            // Microsoft.Data.Sqlite retries busy statements until the command timeout (whole seconds, 0 = forever);
            // SQLite's own busy_timeout below does the precise waiting.
            DefaultTimeout = Math.Max(1, (int)Math.Ceiling(busyTimeout.TotalSeconds)),
        };
        _connectionString = builder.ToString();
        _busyTimeoutMilliseconds = (int)Math.Ceiling(busyTimeout.TotalMilliseconds);
        _durableCommits = durableCommits;
        Path = System.IO.Path.GetFullPath(builder.DataSource);
        ReadOnly = builder.Mode == SqliteOpenMode.ReadOnly;
    }

    /// <summary>The full path of the database file.</summary>
    public string Path { get; }

    /// <summary>True when the connection string asks for <c>Mode=ReadOnly</c>: the file is never changed nor moved.</summary>
    public bool ReadOnly { get; }

    /// <summary>Runs on every new connection after the store's settings (tests use it to inject faults).</summary>
    public Action<SqliteConnection>? Opened { get; set; }

    public SqliteConnection Open()
    {
        var connection = new SqliteConnection(_connectionString);
        try
        {
            connection.Open();
            Execute(connection, string.Create(CultureInfo.InvariantCulture, $"PRAGMA busy_timeout = {_busyTimeoutMilliseconds};"));
            // WAL + NORMAL survives a process crash with every commit; FULL also survives power loss.
            Execute(connection, _durableCommits ? "PRAGMA synchronous = FULL;" : "PRAGMA synchronous = NORMAL;");
            Opened?.Invoke(connection);
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    public static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    /// <summary>Rolls back a raw <c>BEGIN</c> that failed midway; SQLite may have rolled it back already.</summary>
    public static void TryRollback(SqliteConnection connection)
    {
        try
        {
            Execute(connection, "ROLLBACK;");
        }
        catch (SqliteException)
        {
            // No transaction was active any more: the original error is the one that matters.
        }
    }

    public static T Scalar<T>(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return (T)Convert.ChangeType(command.ExecuteScalar()!, typeof(T), CultureInfo.InvariantCulture);
    }
}
