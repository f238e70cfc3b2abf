namespace Dialogue.Caching;

/// <summary>
/// A second tier behind the in-memory cache: a SQLite file (warm restarts) or Redis (many servers). The cache
/// reads it on a memory miss and keeps it up to date on every write and invalidation.
/// </summary>
/// <remarks>
/// <para>A store is fault-tolerant towards the cache: an I/O failure is not thrown (the memory tier keeps
/// serving) but reported through <see cref="IDialogueCacheStoreHost.ReportError"/>, and a read that failed
/// returns <see langword="null"/>. The cache still guards every call, so an exception that escapes is
/// reported the same way and never reaches the caller.</para>
/// <para>Writes may complete after the call returns (write-behind): <see cref="FlushAsync"/> waits for them.
/// No member is called under a cache lock.</para>
/// </remarks>
public interface IDialogueCacheStore
{
    /// <summary>
    /// Called once, by the cache's constructor, before any other member: the memory tier the store serves,
    /// for changes that arrive from elsewhere (a backplane) and for warm restarts.
    /// </summary>
    /// <param name="host">The cache.</param>
    void Attach(IDialogueCacheStoreHost host);

    /// <summary>
    /// Called while the host starts, before prewarm files are loaded: load live entries into the memory tier
    /// (<see cref="IDialogueCacheStoreHost.Load"/>), start background work, subscribe to a backplane.
    /// </summary>
    /// <param name="cancellationToken">Aborts the start.</param>
    Task StartAsync(CancellationToken cancellationToken);

    /// <summary>Reads an entry synchronously (for <c>Get</c>/<c>TryGet</c>); null when absent, expired or unreadable.</summary>
    /// <param name="key">The key.</param>
    DialogueCacheStoreEntry? Get(string key);

    /// <summary>Reads an entry (for <c>GetOrCreateAsync</c>); null when absent, expired or unreadable.</summary>
    /// <param name="key">The key.</param>
    /// <param name="cancellationToken">Aborts the read.</param>
    ValueTask<DialogueCacheStoreEntry?> GetAsync(string key, CancellationToken cancellationToken);

    /// <summary>Stores or replaces an entry (now, or soon after for a write-behind store).</summary>
    /// <param name="entry">The entry; its value is a <see cref="string"/> or a <see cref="byte"/> array.</param>
    void Set(DialogueCacheStoreEntry entry);

    /// <summary>Removes the entry for <paramref name="key"/>.</summary>
    /// <param name="key">The key.</param>
    void Remove(string key);

    /// <summary>Removes every entry whose key contains <paramref name="pattern"/> (ordinal, case-sensitive).</summary>
    /// <param name="pattern">A non-empty substring.</param>
    void RemoveContaining(string pattern);

    /// <summary>Removes every entry of this cache.</summary>
    void Clear();

    /// <summary>Waits until every write accepted so far is stored (called when the host stops).</summary>
    /// <param name="cancellationToken">Stops waiting.</param>
    Task FlushAsync(CancellationToken cancellationToken);
}
