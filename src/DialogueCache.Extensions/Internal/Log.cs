using Microsoft.Extensions.Logging;

namespace Dialogue.Caching.Internal;

/// <summary>
/// Every log line of the library. Values and prompts are user data and never logged; keys appear at Debug
/// level at most.
/// </summary>
internal static partial class Log
{
    public const int PrewarmLoadedId = 1;
    public const int PrewarmFailedId = 2;
    public const int SweepRemovedId = 3;
    public const int SweepFailedId = 4;
    public const int FactoryFailedId = 5;
    public const int PrewarmStartupCompletedId = 6;
    public const int StoreFailedId = 7;
    public const int StoreLoadedId = 8;
    public const int EvictionCallbackFailedId = 9;

    [LoggerMessage(PrewarmLoadedId, LogLevel.Information, "Cache '{CacheName}' prewarmed {Count} entries from '{Path}' in {ElapsedMilliseconds:0.#} ms.")]
    public static partial void PrewarmLoaded(ILogger logger, string cacheName, int count, string path, double elapsedMilliseconds);

    [LoggerMessage(PrewarmFailedId, LogLevel.Error, "Cache '{CacheName}' could not prewarm from '{Path}'; the cache keeps what it held.")]
    public static partial void PrewarmFailed(ILogger logger, string cacheName, string path, Exception exception);

    [LoggerMessage(SweepRemovedId, LogLevel.Debug, "Cache '{CacheName}' swept {Count} expired entries.")]
    public static partial void SweepRemoved(ILogger logger, string cacheName, int count);

    [LoggerMessage(SweepFailedId, LogLevel.Error, "Cache '{CacheName}' failed to sweep expired entries.")]
    public static partial void SweepFailed(ILogger logger, string cacheName, Exception exception);

    [LoggerMessage(FactoryFailedId, LogLevel.Debug, "Cache '{CacheName}': the factory for key '{Key}' failed; nothing was cached.")]
    public static partial void FactoryFailed(ILogger logger, string cacheName, string key, Exception exception);

    [LoggerMessage(PrewarmStartupCompletedId, LogLevel.Information, "Cache '{CacheName}' prewarmed {Count} entries from {FileCount} file(s) at startup in {ElapsedMilliseconds:0.#} ms.")]
    public static partial void PrewarmStartupCompleted(ILogger logger, string cacheName, int count, int fileCount, double elapsedMilliseconds);

    [LoggerMessage(StoreFailedId, LogLevel.Warning, "Cache '{CacheName}': store operation '{Operation}' failed; serving from memory ({Suppressed} similar errors not logged since the last one).")]
    public static partial void StoreFailed(ILogger logger, string cacheName, string operation, int suppressed, Exception exception);

    [LoggerMessage(StoreLoadedId, LogLevel.Information, "Cache '{CacheName}' loaded {Count} entries from its store at startup.")]
    public static partial void StoreLoaded(ILogger logger, string cacheName, int count);

    [LoggerMessage(EvictionCallbackFailedId, LogLevel.Error, "Cache '{CacheName}': a post-eviction callback threw.")]
    public static partial void EvictionCallbackFailed(ILogger logger, string cacheName, Exception exception);
}
