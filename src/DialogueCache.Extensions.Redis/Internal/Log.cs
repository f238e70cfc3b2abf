using Microsoft.Extensions.Logging;

namespace Dialogue.Caching.Redis.Internal;

/// <summary>
/// The Redis store's log lines. Keys, values and the configuration string (it may hold a password) are never
/// logged. Failed operations are not logged here: they go to <see cref="IDialogueCacheStoreHost.ReportError"/>,
/// which counts them and logs at a bounded rate.
/// </summary>
internal static partial class Log
{
    public const int ConnectedId = 101;
    public const int ReconnectedId = 102;
    public const int CircuitOpenedId = 103;
    public const int CircuitClosedId = 104;
    public const int SubscribedId = 105;

    [LoggerMessage(ConnectedId, LogLevel.Information, "Cache '{CacheName}': Redis store connecting to {EndPoints} (key prefix '{KeyPrefix}', connected: {IsConnected}).")]
    public static partial void Connected(ILogger logger, string cacheName, string endPoints, string keyPrefix, bool isConnected);

    [LoggerMessage(ReconnectedId, LogLevel.Information, "Cache '{CacheName}': Redis connection restored ({ConnectionType}); dropped the memory copies that may have missed invalidations.")]
    public static partial void Reconnected(ILogger logger, string cacheName, string connectionType);

    [LoggerMessage(CircuitOpenedId, LogLevel.Warning, "Cache '{CacheName}': Redis unavailable; the store stops calling it for {BreakSeconds} s and the memory tier serves alone.")]
    public static partial void CircuitOpened(ILogger logger, string cacheName, double breakSeconds);

    [LoggerMessage(CircuitClosedId, LogLevel.Information, "Cache '{CacheName}': Redis reachable again; the store calls it again.")]
    public static partial void CircuitClosed(ILogger logger, string cacheName);

    [LoggerMessage(SubscribedId, LogLevel.Debug, "Cache '{CacheName}': subscribed to the backplane channel '{Channel}'.")]
    public static partial void Subscribed(ILogger logger, string cacheName, string channel);
}
