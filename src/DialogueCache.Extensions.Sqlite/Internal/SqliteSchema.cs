using System.Globalization;
using Microsoft.Data.Sqlite;

namespace Dialogue.Caching.Sqlite.Internal;

/// <summary>
/// The file's layout: one table, marked as ours by <c>PRAGMA application_id</c> and versioned by
/// <c>PRAGMA user_version</c>. A file of another application or of a newer schema is refused, never changed.
/// </summary>
internal static class SqliteSchema
{
    /// <summary>The schema this version writes and reads.</summary>
    public const int CurrentVersion = 1;

    /// <summary><c>PRAGMA application_id</c> of a store file: "DCch" in ASCII.</summary>
    public const int ApplicationId = 0x44436368;

    public const string Table = "dialogue_cache_entries";

    // value has BLOB affinity (no conversion): a string stays TEXT and a byte[] stays BLOB, so both faces of the
    // cache read back exactly what they wrote. Times are Unix milliseconds; last_used orders warm restarts and trims.
    private const string CreateSql = $"""
        CREATE TABLE {Table} (
            cache TEXT NOT NULL,
            key TEXT NOT NULL,
            value BLOB NOT NULL,
            expires_at INTEGER NOT NULL,
            last_used INTEGER NOT NULL,
            PRIMARY KEY (cache, key)
        );
        CREATE INDEX {Table}_last_used ON {Table} (cache, last_used);
        CREATE INDEX {Table}_expires_at ON {Table} (expires_at);
        """;

    /// <summary>SQLite's "file is not a database" and "database disk image is malformed".</summary>
    public static bool IsCorruption(Exception exception) =>
        exception is SqliteException { SqliteErrorCode: 11 or 26 };

    /// <summary>
    /// Creates the schema in a new file, accepts a file at <see cref="CurrentVersion"/>, and returns why any other
    /// file is refused (null when the file is usable).
    /// </summary>
    public static string? Ensure(SqliteConnection connection, string path, bool readOnly)
    {
        var state = Read(connection);
        if (state.Objects == 0 && !readOnly)
        {
            // Two processes may create the same new file at once: decide again under the write lock.
            SqliteConnectionFactory.Execute(connection, "BEGIN IMMEDIATE;");
            try
            {
                state = Read(connection);
                if (state.Objects == 0)
                {
                    SqliteConnectionFactory.Execute(connection, CreateSql);
                    SqliteConnectionFactory.Execute(connection, string.Create(CultureInfo.InvariantCulture,
                        $"PRAGMA application_id = {ApplicationId}; PRAGMA user_version = {CurrentVersion};"));
                    state = (ApplicationId, CurrentVersion, 3);
                }

                SqliteConnectionFactory.Execute(connection, "COMMIT;");
            }
            catch
            {
                SqliteConnectionFactory.TryRollback(connection);
                throw;
            }
        }

        if (state.ApplicationId != ApplicationId)
        {
            return state.Objects == 0
                ? $"'{path}' is an empty read-only file: the SQLite store cannot create its table there."
                : string.Create(CultureInfo.InvariantCulture,
                    $"'{path}' is not a DialogueCache store (application_id 0x{state.ApplicationId:X8}, {state.Objects} schema objects). The file was left untouched: give the SQLite store a file of its own.");
        }

        if (state.Version > CurrentVersion)
        {
            return string.Create(CultureInfo.InvariantCulture,
                $"'{path}' holds a DialogueCache store of schema version {state.Version}, written by a newer DialogueCache.Extensions.Sqlite; this version reads schema version {CurrentVersion}. The file was left untouched: upgrade the package, or give the store another file.");
        }

        // Version 1 is the first schema: there is nothing older to migrate yet.
        return state.Version == CurrentVersion
            ? null
            : string.Create(CultureInfo.InvariantCulture, $"'{path}' has DialogueCache schema version {state.Version}, which this version does not know. The file was left untouched.");
    }

    private static (int ApplicationId, int Version, long Objects) Read(SqliteConnection connection) => (
        SqliteConnectionFactory.Scalar<int>(connection, "PRAGMA application_id;"),
        SqliteConnectionFactory.Scalar<int>(connection, "PRAGMA user_version;"),
        SqliteConnectionFactory.Scalar<long>(connection, "SELECT count(*) FROM sqlite_schema;"));
}
