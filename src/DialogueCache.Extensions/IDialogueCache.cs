using System.Diagnostics.CodeAnalysis;

namespace Dialogue.Caching;

/// <summary>
/// A bounded cache of dialogue responses keyed by strings (see <see cref="DialogueKey"/>).
/// Every member is safe to call from many threads at once.
/// </summary>
public interface IDialogueCache
{
    /// <summary>Looks up <paramref name="key"/>; counts a hit or a miss.</summary>
    /// <param name="key">The key; not null or empty.</param>
    /// <param name="value">The cached response when found.</param>
    /// <returns><see langword="true"/> when a live entry was found.</returns>
    /// <exception cref="ArgumentException"><paramref name="key"/> is null or empty.</exception>
    bool TryGet(string key, [MaybeNullWhen(false)] out string value);

    /// <summary>Returns the cached response for <paramref name="key"/>, or <see langword="null"/>; counts a hit or a miss.</summary>
    /// <param name="key">The key; not null or empty.</param>
    /// <exception cref="ArgumentException"><paramref name="key"/> is null or empty.</exception>
    string? Get(string key);

    /// <summary>
    /// Stores <paramref name="value"/> under <paramref name="key"/>, replacing any previous value, resetting
    /// its time-to-live and making it the most recently used entry.
    /// </summary>
    /// <param name="key">The key; not null or empty.</param>
    /// <param name="value">The response; not null.</param>
    /// <param name="ttl">How long the entry lives; greater than zero. <see langword="null"/> takes <see cref="DialogueCacheOptions.Ttl"/>.</param>
    /// <exception cref="ArgumentException"><paramref name="key"/> is null or empty, or <paramref name="value"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="ttl"/> is zero or negative.</exception>
    void Set(string key, string value, TimeSpan? ttl = null);

    /// <summary>
    /// Returns the cached response for <paramref name="key"/>, or creates it with <paramref name="factory"/>.
    /// Concurrent misses on one key run the factory once and share its result; a factory that throws caches
    /// nothing and every waiter sees the exception; one caller's cancellation does not cancel the others.
    /// </summary>
    /// <param name="key">The key; not null or empty.</param>
    /// <param name="factory">Creates the response on a miss (the model call); must not return null.</param>
    /// <param name="ttl">How long a created entry lives; greater than zero. <see langword="null"/> takes <see cref="DialogueCacheOptions.Ttl"/>.</param>
    /// <param name="cancellationToken">Cancels this caller's wait; the factory is cancelled only when every waiter has cancelled.</param>
    ValueTask<string> GetOrCreateAsync(string key,
        Func<string, CancellationToken, ValueTask<string>> factory,
        TimeSpan? ttl = null, CancellationToken cancellationToken = default);

    /// <summary>Removes the entry for <paramref name="key"/>, from memory and from the second tier (store), if any.</summary>
    /// <returns>
    /// <see langword="true"/> when the memory tier held an entry for the key. The store is told to remove the key
    /// either way; whether it held one is not known (a store may remove behind, or on another server), so a key held
    /// only in the store is removed there and reported as <see langword="false"/>.
    /// </returns>
    /// <exception cref="ArgumentException"><paramref name="key"/> is null or empty.</exception>
    bool Invalidate(string key);

    /// <summary>
    /// Removes every entry whose key contains <paramref name="pattern"/> (ordinal, case-sensitive substring), from
    /// memory and from the second tier (store), if any. Scans a snapshot, so readers are not blocked.
    /// </summary>
    /// <returns>How many entries were removed from memory. Entries the store removes (held there only) are not counted.</returns>
    /// <exception cref="ArgumentException"><paramref name="pattern"/> is null or empty (use <see cref="Clear"/> to remove everything).</exception>
    int InvalidatePattern(string pattern);

    /// <summary>Removes every entry and resets hits, misses, top keys and eviction counts.</summary>
    void Clear();

    /// <summary>
    /// Stores every item (later duplicates win). Either every item is stored or, when the input is bad, none is.
    /// </summary>
    /// <returns>How many entries were stored.</returns>
    /// <exception cref="ArgumentException">An item has a null or empty key or a null value; nothing was stored.</exception>
    int Prewarm(IEnumerable<KeyValuePair<string, string>> items);

    /// <summary>
    /// Loads entries from a file: <c>.jsonl</c> as JSON Lines, anything else as one JSON object, unless
    /// <paramref name="loader"/> is given. The file is streamed; on any error the cache keeps exactly what
    /// it held before the call.
    /// </summary>
    /// <returns>How many entries were stored.</returns>
    /// <exception cref="FileNotFoundException">The file does not exist (the message names it).</exception>
    /// <exception cref="DialogueCachePrewarmException">The file is malformed (the message names file, line and position).</exception>
    Task<int> PrewarmFromFileAsync(string path, IDialogueCacheLoader? loader = null,
        CancellationToken cancellationToken = default);

    /// <summary>A snapshot of the cache's counters since it was created or last cleared.</summary>
    DialogueCacheAnalytics Analytics();
}
