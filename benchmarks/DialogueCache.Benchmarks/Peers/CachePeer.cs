namespace Dialogue.Caching.Benchmarks.Peers;

/// <summary>A cache to compare: its name and how to build one of a given capacity.</summary>
/// <param name="Name">The row name (see <see cref="PeerNames"/>).</param>
/// <param name="Factory">Builds the cache: (name, capacity, use).</param>
/// <param name="IsBounded">False for the unbounded ConcurrentDictionary floor, which has no hit ratio to report.</param>
internal sealed record CachePeer(string Name, Func<string, int, CacheUse, CacheSubject> Factory, bool IsBounded = true)
{
    public CacheSubject Create(int capacity, CacheUse use = CacheUse.Throughput) => Factory(Name, capacity, use);
}
