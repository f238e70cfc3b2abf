namespace Dialogue.Caching.Engine;

/// <summary>The engine's counters at one moment, since it was created or last cleared.</summary>
internal readonly record struct EngineSnapshot(
    long Hits,
    long Misses,
    int Count,
    KeyFrequency[] TopKeys,
    DialogueCacheEvictions Evictions);
