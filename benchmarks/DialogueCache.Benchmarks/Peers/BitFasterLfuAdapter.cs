using System.Diagnostics.CodeAnalysis;
using BitFaster.Caching.Lfu;
using BitFaster.Caching.Scheduler;

namespace Dialogue.Caching.Benchmarks.Peers;

/// <summary>
/// BitFaster.Caching's <see cref="ConcurrentLfu{K,V}"/> (W-TinyLFU, as Caffeine). Throughput runs use its
/// default <see cref="ThreadPoolScheduler"/>; hit-ratio replays use <see cref="ForegroundScheduler"/>, as
/// BitFaster's own hit-rate analysis does, so the replay is deterministic and no buffered read is dropped
/// while maintenance waits for the pool.
/// </summary>
internal readonly struct BitFasterLfuAdapter : ICacheAdapter, IDisposable
{
    private readonly ConcurrentLfu<string, string> _cache;

    public BitFasterLfuAdapter(int capacity, bool foreground)
    {
        IScheduler scheduler = foreground ? new ForegroundScheduler() : new ThreadPoolScheduler();
        _cache = new ConcurrentLfu<string, string>(Environment.ProcessorCount, capacity, scheduler, StringComparer.Ordinal);
    }

    public static CacheSubject Create(string name, int capacity, bool foreground) =>
        new TypedCacheSubject<BitFasterLfuAdapter>(name, new BitFasterLfuAdapter(capacity, foreground));

    public bool TryGet(string key, [MaybeNullWhen(false)] out string value) => _cache.TryGet(key, out value);

    public void Set(string key, string value) => _cache.AddOrUpdate(key, value);

    public void Dispose()
    {
    }
}
