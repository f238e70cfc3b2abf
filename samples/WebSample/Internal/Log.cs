namespace WebSample.Internal;

/// <summary>
/// The sample's log messages. None carries a prompt, a reply, a cache key or an API key: prompts are user data and
/// keys contain them; patterns and counts are logged by length and number only.
/// </summary>
internal static partial class Log
{
    public static class Events
    {
        public const int DialogueServed = 1;
        public const int ModelFailed = 2;
        public const int ModelTimedOut = 3;
        public const int AdminRejected = 10;
        public const int AdminDisabled = 11;
        public const int EntryInvalidated = 12;
        public const int PatternInvalidated = 13;
        public const int CacheCleared = 14;
        public const int PrewarmPosted = 15;
        public const int HotKeysExported = 16;
        public const int NpcLinesPrewarmed = 20;
        public const int NpcLinesPrewarmSkipped = 21;
        public const int ModelConfigured = 30;
    }

    [LoggerMessage(Events.DialogueServed, LogLevel.Debug, "Dialogue line served: cached {Cached}, {LatencyMs:F1} ms.")]
    public static partial void DialogueServed(ILogger logger, bool cached, double latencyMs);

    [LoggerMessage(Events.ModelFailed, LogLevel.Error, "The chat model failed ({ExceptionType}); answered 502.")]
    public static partial void ModelFailed(ILogger logger, string exceptionType, Exception exception);

    [LoggerMessage(Events.ModelTimedOut, LogLevel.Warning, "The chat model did not answer within {TimeoutSeconds} s; answered 504.")]
    public static partial void ModelTimedOut(ILogger logger, double timeoutSeconds);

    [LoggerMessage(Events.AdminRejected, LogLevel.Warning, "Admin request {Method} {Route} rejected: {Reason}.")]
    public static partial void AdminRejected(ILogger logger, string method, string route, string reason);

    [LoggerMessage(Events.AdminDisabled, LogLevel.Information,
        "The admin API (/cache/...) is disabled: no API key is configured (WebSample:Admin:ApiKey).")]
    public static partial void AdminDisabled(ILogger logger);

    [LoggerMessage(Events.EntryInvalidated, LogLevel.Information, "Admin: invalidated one entry (found: {Found}).")]
    public static partial void EntryInvalidated(ILogger logger, bool found);

    [LoggerMessage(Events.PatternInvalidated, LogLevel.Information, "Admin: invalidated {Removed} entries by a pattern of {PatternLength} characters.")]
    public static partial void PatternInvalidated(ILogger logger, int removed, int patternLength);

    [LoggerMessage(Events.CacheCleared, LogLevel.Information, "Admin: cleared the cache.")]
    public static partial void CacheCleared(ILogger logger);

    [LoggerMessage(Events.PrewarmPosted, LogLevel.Information, "Admin: prewarmed {Count} entries from a posted {Format} document.")]
    public static partial void PrewarmPosted(ILogger logger, int count, string format);

    [LoggerMessage(Events.HotKeysExported, LogLevel.Information, "Admin: exported {Count} hot keys.")]
    public static partial void HotKeysExported(ILogger logger, int count);

    [LoggerMessage(Events.NpcLinesPrewarmed, LogLevel.Information, "Prewarmed {Count} NPC lines from {Path} in {ElapsedMs:F0} ms.")]
    public static partial void NpcLinesPrewarmed(ILogger logger, int count, string path, double elapsedMs);

    [LoggerMessage(Events.NpcLinesPrewarmSkipped, LogLevel.Information, "No NPC-lines prewarm file configured (WebSample:Prewarm:File).")]
    public static partial void NpcLinesPrewarmSkipped(ILogger logger);

    [LoggerMessage(Events.ModelConfigured, LogLevel.Information, "Chat model: {Provider} ({ModelId}).")]
    public static partial void ModelConfigured(ILogger logger, string provider, string? modelId);
}
