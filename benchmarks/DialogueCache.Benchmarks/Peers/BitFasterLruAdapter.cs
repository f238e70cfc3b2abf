using System.Diagnostics.CodeAnalysis;
using BitFaster.Caching.Lru;

namespace Dialogue.Caching.Benchmarks.Peers;

/// <summary>BitFaster.Caching's <see cref="ConcurrentLru{K,V}"/> (pseudo-LRU over hot/warm/cold queues), defaults.</summary>
internal readonly struct BitFasterLruAdapter : ICacheAdapter, IDisposable
{
    private readonly ConcurrentLru<string, string> _cache;

    public BitFasterLruAdapter(int capacity)
    {
        _cache = new ConcurrentLru<string, string>(Environment.ProcessorCount, capacity, StringComparer.Ordinal);
    }

    public static CacheSubject Create(string name, int capacity) =>
        new TypedCacheSubject<BitFasterLruAdapter>(name, new BitFasterLruAdapter(capacity));

    public bool TryGet(string key, [MaybeNullWhen(false)] out string value) => _cache.TryGet(key, out value);

    public void Set(string key, string value) => _cache.AddOrUpdate(key, value);

    public void Dispose()
    {
    }
}
