using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;

namespace Dialogue.Caching.Benchmarks.Peers;

/// <summary>
/// The physical floor: an unbounded <see cref="ConcurrentDictionary{TKey,TValue}"/> (no eviction, no expiry,
/// no statistics). Every other cache is a dictionary lookup plus its bookkeeping.
/// </summary>
internal readonly struct ConcurrentDictionaryAdapter : ICacheAdapter, IDisposable
{
    private readonly ConcurrentDictionary<string, string> _map;

    public ConcurrentDictionaryAdapter(int capacity)
    {
        // Ordinal keys, as every cache here uses; sized like the others' maps so the measured runs never resize.
        _map = new ConcurrentDictionary<string, string>(Environment.ProcessorCount, capacity, StringComparer.Ordinal);
    }

    public static CacheSubject Create(string name, int capacity) =>
        new TypedCacheSubject<ConcurrentDictionaryAdapter>(name, new ConcurrentDictionaryAdapter(capacity));

    public bool TryGet(string key, [MaybeNullWhen(false)] out string value) => _map.TryGetValue(key, out value);

    public void Set(string key, string value) => _map[key] = value;

    public void Dispose()
    {
    }
}
