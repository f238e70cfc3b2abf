namespace Dialogue.Caching;

/// <summary>An entry read by a prewarm loader.</summary>
/// <param name="Key">The cache key; not null or empty.</param>
/// <param name="Value">The response; not null.</param>
/// <param name="Ttl">The entry's time-to-live; <see langword="null"/> takes the cache's default.</param>
public readonly record struct DialogueCacheEntry(string Key, string Value, TimeSpan? Ttl = null);
