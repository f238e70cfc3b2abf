using System.Diagnostics.CodeAnalysis;

namespace Dialogue.Caching.Benchmarks.Peers;

/// <summary>
/// <see cref="DialogueCache"/> through its public API, with the defaults a user gets (600 s time-to-live,
/// top 10 keys, no store, no metrics listener) and the given policy.
/// </summary>
internal readonly struct DialogueCacheAdapter : ICacheAdapter, IDisposable
{
    private readonly DialogueCache _cache;

    public DialogueCacheAdapter(int capacity, EvictionPolicy policy)
    {
        _cache = new DialogueCache(new DialogueCacheOptions { Name = "bench", MaxSize = capacity, EvictionPolicy = policy });
    }

    public static CacheSubject Create(string name, int capacity, EvictionPolicy policy) =>
        new TypedCacheSubject<DialogueCacheAdapter>(name, new DialogueCacheAdapter(capacity, policy));

    public bool TryGet(string key, [MaybeNullWhen(false)] out string value) => _cache.TryGet(key, out value);

    public void Set(string key, string value) => _cache.Set(key, value);

    public void Dispose() => _cache.Dispose();
}
