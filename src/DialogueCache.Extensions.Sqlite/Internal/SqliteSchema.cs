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

    /// <summary>The first 16 bytes of every SQLite database file.</summary>
    public static ReadOnlySpan<byte> Header => "SQLite format 3\0"u8;

    /// <summary>
    /// True when <paramref name="path"/> exists, is not empty, and does not start with the SQLite header. Checked before
    /// SQLite opens the file: closing a connection to a non-database deletes its <c>-wal</c> and <c>-shm</c> files.
    /// </summary>
    public static bool HasForeignHeader(string path)
    {
        if (!File.Exists(path))
        {
            return false;
        }

        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        if (stream.Length == 0)
        {
            return false;
        }

        Span<byte> header = stackalloc byte[16];
        return stream.ReadAtLeast(header, header.Length, throwOnEndOfStream: false) < header.Length || !header.SequenceEqual(Header);
    }

    /// <summary>SQLite's "file is not a database" and "database disk image is malformed".</summary>
    public static bool IsCorruption(Exception exception) =>
        exception is SqliteException { SqliteErrorCode: 11 or 26 };

    /// <summary>
    /// Reads the file's marks without changing anything: whether it is new (no schema objects), and why it is refused
    /// (another application's database, or a schema this version does not read), or null when it is usable.
    /// </summary>
    public static (bool IsNew, string? Refusal) Inspect(SqliteConnection connection, string path, bool readOnly)
    {
        var state = Read(connection);
        if (state.Objects == 0)
        {
            return readOnly
                ? (true, $"'{path}' is an empty read-only file: the SQLite store cannot create its table there.")
                : (true, null);
        }

        return (false, Refusal(state, path));
    }

    /// <summary>Creates the schema in a new file; returns a refusal if another process made it something else meanwhile.</summary>
    public static string? Create(SqliteConnection connection, string path)
    {
        // Two processes may create the same new file at once: decide again under the write lock.
        SqliteConnectionFactory.Execute(connection, "BEGIN IMMEDIATE;");
        try
        {
            var state = Read(connection);
            if (state.Objects == 0)
            {
                SqliteConnectionFactory.Execute(connection, CreateSql);
                SqliteConnectionFactory.Execute(connection, string.Create(CultureInfo.InvariantCulture,
                    $"PRAGMA application_id = {ApplicationId}; PRAGMA user_version = {CurrentVersion};"));
            }

            SqliteConnectionFactory.Execute(connection, "COMMIT;");
            return state.Objects == 0 ? null : Refusal(state, path);
        }
        catch
        {
            SqliteConnectionFactory.TryRollback(connection);
            throw;
        }
    }

    private static string? Refusal((int ApplicationId, int Version, long Objects) state, string path)
    {
        if (state.ApplicationId != ApplicationId)
        {
            return string.Create(CultureInfo.InvariantCulture,
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

    // One statement, so one snapshot: another process creating the schema at the same moment is seen whole or not at all.
    private static (int ApplicationId, int Version, long Objects) Read(SqliteConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT (SELECT application_id FROM pragma_application_id()), (SELECT user_version FROM pragma_user_version()), (SELECT count(*) FROM sqlite_schema);";
        using var reader = command.ExecuteReader();
        reader.Read();
        return (reader.GetInt32(0), reader.GetInt32(1), reader.GetInt64(2));
    }
}
