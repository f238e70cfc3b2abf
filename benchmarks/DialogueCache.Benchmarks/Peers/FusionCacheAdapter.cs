using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.Caching.Memory;
using ZiggyCreatures.Caching.Fusion;

namespace Dialogue.Caching.Benchmarks.Peers;

/// <summary>
/// FusionCache in its memory-only mode: no distributed cache, no backplane, default options except the two
/// that sizing needs. FusionCache has no capacity of its own; it keeps entries in an <see cref="IMemoryCache"/>
/// (an unbounded one by default). To compare at equal capacity we hand it a MemoryCache with
/// <c>SizeLimit = capacity</c> and give every entry <c>Size = 1</c>, so it evicts exactly as
/// <see cref="MemoryCacheAdapter"/> does; its <c>Duration</c> is 10 minutes (the default is 30 s, shorter
/// than a benchmark run), matching DialogueCache's default time-to-live.
/// </summary>
internal readonly struct FusionCacheAdapter : ICacheAdapter, IDisposable
{
    private readonly FusionCache _cache;
    private readonly MemoryCache _memory;

    public FusionCacheAdapter(int capacity)
    {
        _memory = new MemoryCache(new MemoryCacheOptions { SizeLimit = capacity });
        var options = new FusionCacheOptions
        {
            DefaultEntryOptions = new FusionCacheEntryOptions { Duration = TimeSpan.FromMinutes(10), Size = 1 },
        };
        _cache = new FusionCache(options, _memory);
    }

    public static CacheSubject Create(string name, int capacity) =>
        new TypedCacheSubject<FusionCacheAdapter>(name, new FusionCacheAdapter(capacity));

    public bool TryGet(string key, [MaybeNullWhen(false)] out string value)
    {
        var result = _cache.TryGet<string>(key);
        if (result.HasValue)
        {
            value = result.Value;
            return true;
        }

        value = null;
        return false;
    }

    public void Set(string key, string value) => _cache.Set(key, value);

    public void Dispose()
    {
        _cache.Dispose();
        _memory.Dispose();
    }
}
