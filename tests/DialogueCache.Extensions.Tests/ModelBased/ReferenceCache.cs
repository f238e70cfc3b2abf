using System.Globalization;
using System.Text;

namespace Dialogue.Caching.Tests.ModelBased;

/// <summary>
/// The reference model of <see cref="DialogueCache"/>: DESIGN.md's "Semantics" written as plainly as possible.
/// Entries sit in a list in recency order (least recently used first); reads are counted per key in a
/// dictionary; every operation is a linear scan. It holds what the cache holds, expired entries included
/// (they stay until a read, a sweep, an eviction or a replacement removes them, and <c>Count</c> includes them).
/// </summary>
/// <remarks>
/// DESIGN leaves one choice open: when a full cache drops an expired entry before live ones, any expired entry
/// may go. At that point the model asks an <see cref="IChoice"/> which; the runner follows every choice and
/// keeps the states whose observations match the cache.
/// </remarks>
internal sealed class ReferenceCache
{
    private readonly List<Entry> _entries = [];
    private readonly Dictionary<string, long> _reads = new(StringComparer.Ordinal);

    public ReferenceCache(int maxSize, TimeSpan defaultTtl, int topKeysCount)
    {
        MaxSize = maxSize;
        DefaultTtl = defaultTtl;
        TopKeysCount = topKeysCount;
    }

    private ReferenceCache(ReferenceCache other)
        : this(other.MaxSize, other.DefaultTtl, other.TopKeysCount)
    {
        _entries.AddRange(other._entries);
        foreach (var (key, count) in other._reads)
        {
            _reads.Add(key, count);
        }

        Hits = other.Hits;
        Misses = other.Misses;
        FactoryCalls = other.FactoryCalls;
        CapacityEvictions = other.CapacityEvictions;
        ExpiredEvictions = other.ExpiredEvictions;
        RemovedEvictions = other.RemovedEvictions;
        ClearedEvictions = other.ClearedEvictions;
    }

    /// <summary>A decision the model leaves to the implementation: pick one of <c>options</c> (0-based).</summary>
    public interface IChoice
    {
        int Choose(int options);
    }

    public int MaxSize { get; }

    public TimeSpan DefaultTtl { get; }

    public int TopKeysCount { get; }

    /// <summary>Entries held, expired or not.</summary>
    public int Count => _entries.Count;

    public long Hits { get; private set; }

    public long Misses { get; private set; }

    public long FactoryCalls { get; private set; }

    public long CapacityEvictions { get; private set; }

    public long ExpiredEvictions { get; private set; }

    public long RemovedEvictions { get; private set; }

    public long ClearedEvictions { get; private set; }

    public double HitRatio => Hits + Misses == 0 ? 0 : (double)Hits / (Hits + Misses);

    public ReferenceCache Clone() => new(this);

    /// <summary>The most requested keys: highest count first, ties by ordinal key order, at most <see cref="TopKeysCount"/>.</summary>
    public IReadOnlyList<KeyFrequency> TopKeys() => _reads
        .OrderByDescending(pair => pair.Value)
        .ThenBy(pair => pair.Key, StringComparer.Ordinal)
        .Take(TopKeysCount)
        .Select(pair => new KeyFrequency(pair.Key, pair.Value))
        .ToList();

    /// <summary>The live (unexpired) entries, least recently used first.</summary>
    public IEnumerable<(string Key, string Value, DateTimeOffset ExpiresAt)> LiveEntries(DateTimeOffset now) =>
        _entries.Where(e => !e.IsExpired(now)).Select(e => (e.Key, e.Value, e.ExpiresAt));

    /// <summary>
    /// A read (Get, TryGet, the first half of GetOrCreateAsync): counts the key; a live entry is a hit and
    /// becomes the most recently used; an expired one is removed (an <c>expired</c> eviction) and, like a
    /// missing one, is a miss.
    /// </summary>
    public string? Read(string key, DateTimeOffset now)
    {
        _reads[key] = _reads.GetValueOrDefault(key) + 1;
        var index = IndexOf(key);
        if (index >= 0)
        {
            var entry = _entries[index];
            _entries.RemoveAt(index);
            if (!entry.IsExpired(now))
            {
                _entries.Add(entry);
                Hits++;
                return entry.Value;
            }

            ExpiredEvictions++;
        }

        Misses++;
        return null;
    }

    /// <summary>
    /// Set: replaces any entry for the key (expired or not; a replacement is no eviction) with a new most
    /// recently used one that expires at now + ttl. A new key in a full cache pushes one entry out: an
    /// expired one if there is any (an <c>expired</c> eviction), else the least recently used (<c>capacity</c>).
    /// </summary>
    public void Set(string key, string value, TimeSpan ttl, DateTimeOffset now, IChoice choice)
    {
        var index = IndexOf(key);
        if (index >= 0)
        {
            _entries.RemoveAt(index);
        }

        _entries.Add(new Entry(key, value, now + ttl));
        while (_entries.Count > MaxSize)
        {
            var expired = Enumerable.Range(0, _entries.Count).Where(i => _entries[i].IsExpired(now)).ToList();
            if (expired.Count > 0)
            {
                _entries.RemoveAt(expired[choice.Choose(expired.Count)]);
                ExpiredEvictions++;
            }
            else
            {
                _entries.RemoveAt(0);
                CapacityEvictions++;
            }
        }
    }

    /// <summary>
    /// GetOrCreateAsync with a synchronous factory: a read, then on a miss one factory call and a Set of what it
    /// returned. A factory that throws (<paramref name="created"/> null) stores nothing; null is returned then.
    /// </summary>
    public string? GetOrCreate(string key, TimeSpan? ttl, string? created, DateTimeOffset now, IChoice choice)
    {
        if (Read(key, now) is { } cached)
        {
            return cached;
        }

        FactoryCalls++;
        if (created is not null)
        {
            Set(key, created, ttl ?? DefaultTtl, now, choice);
        }

        return created;
    }

    /// <summary>
    /// Prewarm: later duplicates win and count as the newer item; only the last <see cref="MaxSize"/> distinct
    /// keys can survive, so only they are stored (DESIGN: "stage, then commit"), each as a Set with the
    /// default TTL, oldest first. Returns how many were stored.
    /// </summary>
    public int Prewarm(IReadOnlyList<KeyValuePair<string, string>> items, DateTimeOffset now, IChoice choice)
    {
        var staged = new List<KeyValuePair<string, string>>();
        foreach (var item in items)
        {
            staged.RemoveAll(s => s.Key == item.Key);
            staged.Add(item);
        }

        if (staged.Count > MaxSize)
        {
            staged.RemoveRange(0, staged.Count - MaxSize);
        }

        foreach (var (key, value) in staged)
        {
            Set(key, value, DefaultTtl, now, choice);
        }

        return staged.Count;
    }

    /// <summary>Invalidate: removes the entry for the key if one is held (expired or not) as a <c>removed</c> eviction.</summary>
    public bool Invalidate(string key)
    {
        var index = IndexOf(key);
        if (index < 0)
        {
            return false;
        }

        _entries.RemoveAt(index);
        RemovedEvictions++;
        return true;
    }

    /// <summary>InvalidatePattern: removes every held entry whose key contains the pattern (ordinal), as <c>removed</c>.</summary>
    public int InvalidatePattern(string pattern)
    {
        var removed = _entries.RemoveAll(e => e.Key.Contains(pattern, StringComparison.Ordinal));
        RemovedEvictions += removed;
        return removed;
    }

    /// <summary>Clear: removes every entry and resets every counter, then records the entries it removed as <c>cleared</c>.</summary>
    public void Clear()
    {
        var cleared = _entries.Count;
        _entries.Clear();
        _reads.Clear();
        Hits = Misses = FactoryCalls = 0;
        CapacityEvictions = ExpiredEvictions = RemovedEvictions = 0;
        ClearedEvictions = cleared;
    }

    /// <summary>RemoveExpired: removes every entry with now >= its expiry as <c>expired</c>.</summary>
    public int RemoveExpired(DateTimeOffset now)
    {
        var removed = _entries.RemoveAll(e => e.IsExpired(now));
        ExpiredEvictions += removed;
        return removed;
    }

    /// <summary>Everything about the state, for telling states apart.</summary>
    public string Fingerprint()
    {
        var text = new StringBuilder();
        foreach (var entry in _entries)
        {
            text.Append(CultureInfo.InvariantCulture, $"{entry.Key}={entry.Value}@{entry.ExpiresAt.UtcTicks};");
        }

        text.Append(CultureInfo.InvariantCulture, $"|{Hits},{Misses},{FactoryCalls},{CapacityEvictions},{ExpiredEvictions},{RemovedEvictions},{ClearedEvictions}|");
        foreach (var (key, count) in _reads.OrderBy(pair => pair.Key, StringComparer.Ordinal))
        {
            text.Append(CultureInfo.InvariantCulture, $"{key}:{count};");
        }

        return text.ToString();
    }

    /// <summary>The entries, least recently used first, for failure reports.</summary>
    public string Describe(DateTimeOffset now) => _entries.Count == 0
        ? "(empty)"
        : string.Join(", ", _entries.Select(e => e.IsExpired(now)
            ? $"{e.Key}={e.Value} (expired)"
            : $"{e.Key}={e.Value} ({(e.ExpiresAt - now).Ticks} ticks left)"));

    private int IndexOf(string key) => _entries.FindIndex(e => e.Key == key);

    private readonly record struct Entry(string Key, string Value, DateTimeOffset ExpiresAt)
    {
        // DESIGN: an entry expires when now >= set time + ttl.
        public bool IsExpired(DateTimeOffset now) => now >= ExpiresAt;
    }
}
