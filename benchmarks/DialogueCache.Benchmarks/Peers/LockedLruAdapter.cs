using System.Diagnostics.CodeAnalysis;

namespace Dialogue.Caching.Benchmarks.Peers;

/// <summary>Adapts <see cref="LockedLru"/>.</summary>
internal readonly struct LockedLruAdapter : ICacheAdapter, IDisposable
{
    private readonly LockedLru _cache;

    public LockedLruAdapter(int capacity)
    {
        _cache = new LockedLru(capacity);
    }

    public static CacheSubject Create(string name, int capacity) =>
        new TypedCacheSubject<LockedLruAdapter>(name, new LockedLruAdapter(capacity));

    public bool TryGet(string key, [MaybeNullWhen(false)] out string value) => _cache.TryGet(key, out value);

    public void Set(string key, string value) => _cache.Set(key, value);

    public void Dispose()
    {
    }
}
