using System.Diagnostics.CodeAnalysis;
using Dialogue.Caching.Benchmarks.Peers;

namespace Dialogue.Caching.Benchmarks.Profiling;

/// <summary>Adapts <see cref="HitPathReplica"/> so the anatomy rows run through the same loop as the real caches.</summary>
internal readonly struct HitPathReplicaAdapter : ICacheAdapter, IDisposable
{
    private readonly HitPathReplica _replica;

    public HitPathReplicaAdapter(HitPathParts parts, int capacity)
    {
        _replica = new HitPathReplica(parts, capacity);
    }

    public static CacheSubject Create(string name, HitPathParts parts, int capacity) =>
        new TypedCacheSubject<HitPathReplicaAdapter>(name, new HitPathReplicaAdapter(parts, capacity));

    public bool TryGet(string key, [MaybeNullWhen(false)] out string value) => _replica.TryGet(key, out value);

    public void Set(string key, string value) => _replica.Set(key, value);

    public void Dispose()
    {
    }
}
