using Microsoft.Extensions.Caching.Hybrid;

namespace Dialogue.Caching;

/// <summary>
/// Settings of the <see cref="HybridCache"/> face registered by <c>AsHybridCache()</c>; the counterpart of
/// Microsoft's <c>HybridCacheOptions</c>, with the same defaults.
/// </summary>
public sealed class DialogueHybridCacheOptions
{
    /// <summary>The default largest serialized value stored: 1 MiB.</summary>
    public const long DefaultMaximumPayloadBytes = 1 << 20;

    /// <summary>The default longest key cached: 1024 characters.</summary>
    public const int DefaultMaximumKeyLength = 1024;

    /// <summary>
    /// Entry options for calls that pass none, or that leave a value unset: a call's own non-null values win.
    /// When no level sets <see cref="HybridCacheEntryOptions.Expiration"/>, entries live the cache's
    /// <see cref="DialogueCacheOptions.Ttl"/>.
    /// </summary>
    public HybridCacheEntryOptions? DefaultEntryOptions { get; set; }

    /// <summary>
    /// The largest serialized value stored (bytes, &gt; 0). A larger value is returned to its callers but not
    /// cached, and the event is logged.
    /// </summary>
    public long MaximumPayloadBytes { get; set; } = DefaultMaximumPayloadBytes;

    /// <summary>
    /// The longest key cached (characters, &gt; 0). A longer key, an empty one or one with control characters is
    /// not cached: its factory runs on every call, and the event is logged at Debug level without the key.
    /// </summary>
    public int MaximumKeyLength { get; set; } = DefaultMaximumKeyLength;
}
