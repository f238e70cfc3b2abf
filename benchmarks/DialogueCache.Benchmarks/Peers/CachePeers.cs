namespace Dialogue.Caching.Benchmarks.Peers;

/// <summary>
/// Every cache compared, in table order. The quick, memory and hit-ratio modes iterate this list; the
/// BenchmarkDotNet suites name their rows from it. Adding a cache (the <c>TinyLfu</c> policy) is one line here
/// and one <c>[Benchmark]</c> line per suite.
/// </summary>
internal static class CachePeers
{
    public static IReadOnlyList<CachePeer> All { get; } =
    [
        new(PeerNames.ConcurrentDictionary, static (name, capacity, _) => ConcurrentDictionaryAdapter.Create(name, capacity), IsBounded: false),
        new(PeerNames.DialogueCacheLru, static (name, capacity, _) => DialogueCacheAdapter.Create(name, capacity, EvictionPolicy.Lru)),
        new(PeerNames.DialogueCacheTinyLfu, static (name, capacity, _) => DialogueCacheAdapter.Create(name, capacity, EvictionPolicy.TinyLfu)),
        new(PeerNames.BitFasterLru, static (name, capacity, _) => BitFasterLruAdapter.Create(name, capacity)),
        new(PeerNames.BitFasterLfu, static (name, capacity, use) => BitFasterLfuAdapter.Create(name, capacity, foreground: use == CacheUse.Replay)),
        new(PeerNames.MemoryCache, static (name, capacity, _) => MemoryCacheAdapter.Create(name, capacity)),
        new(PeerNames.FusionCache, static (name, capacity, _) => FusionCacheAdapter.Create(name, capacity)),
        new(PeerNames.LockedLru, static (name, capacity, _) => LockedLruAdapter.Create(name, capacity)),
    ];

    public static CachePeer Get(string name) =>
        All.FirstOrDefault(peer => peer.Name == name) ?? throw new ArgumentException($"No cache named '{name}'.", nameof(name));
}
