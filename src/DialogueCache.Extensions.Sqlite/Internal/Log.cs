using Microsoft.Extensions.Logging;

namespace Dialogue.Caching.Sqlite.Internal;

/// <summary>
/// Every log line of the SQLite store. Failures of single operations go through
/// <see cref="IDialogueCacheStoreHost.ReportError"/> (counted and rate-limited by the cache); these are the
/// events an operator must see once. Values and keys are never logged.
/// </summary>
internal static partial class Log
{
    public const int OpenedId = 101;
    public const int CorruptFileMovedId = 102;
    public const int FileRefusedId = 103;
    public const int NotWalId = 104;
    public const int CleanupId = 105;

    [LoggerMessage(OpenedId, LogLevel.Information, "Cache '{CacheName}': SQLite store '{Path}' opened ({WriteMode}, {Rows} rows, at most {MaxRows}).")]
    public static partial void Opened(ILogger logger, string cacheName, string path, SqliteWriteMode writeMode, long rows, long maxRows);

    [LoggerMessage(CorruptFileMovedId, LogLevel.Error, "Cache '{CacheName}': '{Path}' is not a readable SQLite database ({Reason}). It was moved aside to '{MovedTo}' (not deleted) and the store starts empty.")]
    public static partial void CorruptFileMoved(ILogger logger, string cacheName, string path, string reason, string movedTo);

    [LoggerMessage(FileRefusedId, LogLevel.Error, "Cache '{CacheName}': {Message}")]
    public static partial void FileRefused(ILogger logger, string cacheName, string message);

    [LoggerMessage(NotWalId, LogLevel.Warning, "Cache '{CacheName}': '{Path}' could not be switched to WAL mode (journal mode '{JournalMode}'); readers may wait for writers.")]
    public static partial void NotWal(ILogger logger, string cacheName, string path, string journalMode);

    [LoggerMessage(CleanupId, LogLevel.Debug, "Cache '{CacheName}': SQLite cleanup deleted {Expired} expired and {Trimmed} least recently used rows.")]
    public static partial void Cleanup(ILogger logger, string cacheName, int expired, int trimmed);
}
