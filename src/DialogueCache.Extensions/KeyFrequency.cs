namespace Dialogue.Caching;

/// <summary>How often a key was requested.</summary>
/// <param name="Key">The cache key.</param>
/// <param name="Count">Reads of the key, hits and misses.</param>
public readonly record struct KeyFrequency(string Key, long Count);
