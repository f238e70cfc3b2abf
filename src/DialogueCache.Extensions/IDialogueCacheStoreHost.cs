namespace Dialogue.Caching;

/// <summary>
/// What a <see cref="IDialogueCacheStore"/> may do to the in-memory tier of the cache it serves. Changes made
/// here stay in memory: they are not written back to the store.
/// </summary>
/// <remarks>
/// The cache makes sure a store read racing one of its own writes or invalidations never puts the older value
/// into memory. For changes made elsewhere (a backplane message), that is the store's part: a read it has in
/// flight when such a change arrives must not return what may be the old value (read again, as the Redis
/// store does). The <c>EvictLocal*</c> methods drop memory copies; they do not fence reads in flight.
/// </remarks>
public interface IDialogueCacheStoreHost
{
    /// <summary>The cache's name (<see cref="DialogueCacheOptions.Name"/>).</summary>
    string CacheName { get; }

    /// <summary>The most entries the memory tier holds.</summary>
    int MaxSize { get; }

    /// <summary>The cache's clock: absolute expirations are <see cref="TimeProvider.GetUtcNow"/> plus a time-to-live.</summary>
    TimeProvider TimeProvider { get; }

    /// <summary>Drops the memory copy of <paramref name="key"/> (changed or removed elsewhere).</summary>
    /// <param name="key">The key.</param>
    /// <returns>True when there was a copy.</returns>
    bool EvictLocal(string key);

    /// <summary>Drops the memory copies of every key containing <paramref name="pattern"/>.</summary>
    /// <param name="pattern">A non-empty substring.</param>
    /// <returns>How many copies were dropped.</returns>
    int EvictLocalContaining(string pattern);

    /// <summary>Drops every memory copy (after a <c>Clear</c> elsewhere, or when copies may have missed invalidations).</summary>
    void EvictAllLocal();

    /// <summary>
    /// Puts entries into memory without writing them back, in order: pass the most recently used last. Expired
    /// entries are skipped; beyond <see cref="MaxSize"/>, the earliest given are evicted.
    /// </summary>
    /// <param name="entries">The entries.</param>
    /// <returns>How many entries were loaded.</returns>
    int Load(IEnumerable<DialogueCacheStoreEntry> entries);

    /// <summary>
    /// The keys of memory entries used (read or written) since the previous call, least recently used first: at most
    /// <paramref name="max"/>, the most recently used ones. Hits served from memory never reach the store: a store
    /// that keeps a recency of its own (the order of a warm restart, which entries a size limit drops) asks for them
    /// from time to time, for example when it flushes, and marks them as used. Nothing is recorded on the hit path
    /// for this: the host answers from the recency it keeps anyway, so the answer is best effort (under heavy
    /// concurrency a read may be missed). When nothing was read since the previous call the answer is empty: writes
    /// reach the store themselves.
    /// </summary>
    /// <param name="max">The most keys to return; greater than zero.</param>
    /// <returns>The keys, least recently used first; empty when none was read, and from a host that does not track use.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="max"/> is zero or negative.</exception>
    IReadOnlyList<string> TakeRecentlyUsedKeys(int max)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(max);
        return [];
    }

    /// <summary>
    /// Reports a failed store operation: counted in the <c>cache.store.errors</c> metric and the analytics,
    /// and logged at a bounded rate. Never throws, not even for a null argument: it is called from a store's error
    /// paths, where an exception would turn a store fault into a failed cache call.
    /// </summary>
    /// <param name="operation">What failed, e.g. <c>"get"</c>, <c>"set"</c>, <c>"flush"</c>, <c>"connect"</c> (the metric's <c>operation</c> tag).</param>
    /// <param name="exception">The failure.</param>
    void ReportError(string operation, Exception exception);
}
