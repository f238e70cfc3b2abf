using Microsoft.Extensions.Logging;

namespace Dialogue.Caching.Internal;

/// <summary>The HybridCache face's log lines (keys and values are never logged).</summary>
internal static partial class Log
{
    public const int HybridKeyNotCachedId = 101;
    public const int HybridPayloadTooLargeId = 102;
    public const int HybridPayloadUnreadableId = 103;

    [LoggerMessage(HybridKeyNotCachedId, LogLevel.Debug, "Cache '{CacheName}' (HybridCache): a key of {KeyLength} characters is not cached ({Reason}); the factory runs without the cache.")]
    public static partial void HybridKeyNotCached(ILogger logger, string cacheName, int keyLength, string reason);

    [LoggerMessage(HybridPayloadTooLargeId, LogLevel.Warning, "Cache '{CacheName}' (HybridCache): a value of type {Type} serialized to {Length} bytes, over MaximumPayloadBytes ({Maximum}); it is returned but not cached.")]
    public static partial void HybridPayloadTooLarge(ILogger logger, string cacheName, string type, long length, long maximum);

    [LoggerMessage(HybridPayloadUnreadableId, LogLevel.Warning, "Cache '{CacheName}' (HybridCache): a cached value could not be read as {Type}; it counts as a miss and the factory runs.")]
    public static partial void HybridPayloadUnreadable(ILogger logger, string cacheName, string type, Exception exception);
}
