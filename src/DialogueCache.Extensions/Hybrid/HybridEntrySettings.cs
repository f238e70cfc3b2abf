using Microsoft.Extensions.Caching.Hybrid;

namespace Dialogue.Caching.Hybrid;

/// <summary>
/// What one HybridCache call does, from its own entry options, the face's defaults and the cache's time-to-live:
/// which tiers it reads and writes, and how long the entry lives in the store and in memory.
/// </summary>
internal readonly record struct HybridEntrySettings(HybridCacheEntryFlags Flags, TimeSpan Expiration, TimeSpan LocalExpiration)
{
    public bool ReadMemory => (Flags & HybridCacheEntryFlags.DisableLocalCacheRead) == 0;

    public bool ReadStore => (Flags & HybridCacheEntryFlags.DisableDistributedCacheRead) == 0;

    public bool WriteMemory => (Flags & HybridCacheEntryFlags.DisableLocalCacheWrite) == 0;

    public bool WriteStore => (Flags & HybridCacheEntryFlags.DisableDistributedCacheWrite) == 0;

    public bool CallFactory => (Flags & HybridCacheEntryFlags.DisableUnderlyingData) == 0;

    /// <summary>
    /// Resolves a call's settings as HybridCache composes options: the call's non-null values, then the defaults';
    /// <see cref="HybridCacheEntryOptions.Flags"/> of a call replace the default flags. The memory lifetime is
    /// <c>LocalCacheExpiration</c>, else <c>Expiration</c>, and never longer than the entry's lifetime.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">An expiration of the call is zero or negative.</exception>
    public static HybridEntrySettings Resolve(HybridCacheEntryOptions? options, HybridCacheEntryOptions? defaults, TimeSpan cacheTtl)
    {
        if (options is not null)
        {
            ThrowIfNotPositive(options.Expiration, nameof(HybridCacheEntryOptions.Expiration), nameof(options));
            ThrowIfNotPositive(options.LocalCacheExpiration, nameof(HybridCacheEntryOptions.LocalCacheExpiration), nameof(options));
        }

        var flags = options?.Flags ?? defaults?.Flags ?? HybridCacheEntryFlags.None;
        var expiration = options?.Expiration ?? defaults?.Expiration ?? cacheTtl;
        var local = options?.LocalCacheExpiration ?? options?.Expiration
            ?? defaults?.LocalCacheExpiration ?? defaults?.Expiration ?? cacheTtl;
        return new HybridEntrySettings(flags, expiration, local < expiration ? local : expiration);
    }

    private static void ThrowIfNotPositive(TimeSpan? value, string option, string paramName)
    {
        if (value is { } span && span <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(paramName, span, $"HybridCacheEntryOptions.{option} must be greater than zero (was {span}).");
        }
    }
}
