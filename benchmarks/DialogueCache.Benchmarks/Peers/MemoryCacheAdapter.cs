using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.Caching.Memory;

namespace Dialogue.Caching.Benchmarks.Peers;

/// <summary>
/// Microsoft.Extensions.Caching.Memory bounded the documented way: <c>SizeLimit = capacity</c> and every entry
/// <c>Size = 1</c>; no expiration (as BitFaster's ConcurrentLru has none).
/// </summary>
/// <remarks>
/// MemoryCache does not evict on insert: a Set that would exceed the limit is dropped and a compaction of
/// 5 % of the entries (by priority, then least recently accessed) is queued to the thread pool. So a full
/// cache briefly refuses new entries, and what it holds depends on when the pool runs the compaction.
/// </remarks>
internal readonly struct MemoryCacheAdapter : ICacheAdapter, IDisposable
{
    private readonly MemoryCache _cache;
    private readonly MemoryCacheEntryOptions _entryOptions;

    public MemoryCacheAdapter(int capacity)
    {
        _cache = new MemoryCache(new MemoryCacheOptions { SizeLimit = capacity });
        _entryOptions = new MemoryCacheEntryOptions { Size = 1 };
    }

    public static CacheSubject Create(string name, int capacity) =>
        new TypedCacheSubject<MemoryCacheAdapter>(name, new MemoryCacheAdapter(capacity));

    public bool TryGet(string key, [MaybeNullWhen(false)] out string value)
    {
        // The non-generic TryGetValue: the generic extension adds a type test and nothing else.
        if (_cache.TryGetValue(key, out var result))
        {
            value = (string)result!;
            return true;
        }

        value = null;
        return false;
    }

    public void Set(string key, string value) => _cache.Set(key, value, _entryOptions);

    public void Dispose() => _cache.Dispose();
}
