using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using Dialogue.Caching.Analytics;

namespace Dialogue.Caching.Engine;

/// <summary>
/// The bounded in-memory store behind every face of <see cref="DialogueCache"/>: a hash table with lock-free
/// reads (<see cref="NodeTable"/>), plus an eviction policy, an expiration heap and a heavy-hitter summary,
/// all changed under one lock.
/// </summary>
/// <remarks>
/// <para>Reads (hits) take no lock and allocate nothing: they look the key up, check the expiry against a clock
/// kept in memory, and record themselves on the node (<see cref="ReadRecorder"/>: a counted hit, a recency stamp,
/// a read count). The policy orders nodes by those stamps when it next needs a victim, so single-threaded
/// eviction is exact LRU without a queue of reads to replay. Writes take the lock and change the map, the policy
/// and the heap together: under the lock the three always agree, and the entry count never exceeds the maximum
/// once the lock is released.</para>
/// <para>Requests without a node (misses) are recorded in a <see cref="RequestBuffer"/> and counted in the top
/// keys and the policy's frequency sketch when a stripe fills or a snapshot drains it, under a counts lock of their
/// own (so counting misses never waits behind writers); hits are folded into the same from the nodes' read
/// counts.</para>
/// <para>String keys (every face) and IMemoryCache's keys of other types share one table, one capacity and one
/// recency order; a string is compared ordinally, any other key with its own Equals.</para>
/// <para>No user code runs under the lock: removals are tallied and reported to the
/// <see cref="IRemovalObserver"/> after it is released.</para>
/// </remarks>
internal sealed partial class CacheEngine
{
    /// <summary>Removals done per lock hold by bulk operations, so writers waiting behind them are not starved.</summary>
    internal const int BatchSize = 1024;

    private readonly NodeTable _table;
    private readonly Lock _sync = new();

    // Guards the request counts: the top keys and the policy's frequency sketch (OnRead, OnMissed). Taken alone by
    // a reader draining the request buffer, or inside _sync (never the other way round), so counting misses does
    // not wait behind writers.
    private readonly Lock _counts = new();
    private readonly IEvictionPolicy _policy;
    private readonly ExpirationQueue _expirations = new();
    private readonly RequestBuffer _requests = new();
    private readonly RequestBuffer.Request[] _drainScratch;
    private readonly TopKeysSummary _topKeys;
    private readonly CacheClock _clock;
    private readonly IRemovalObserver? _observer;
    private readonly ReadRecorder _reads;
    private readonly int _maxSize;

    // Write versions of key stripes (a key's stripe is its hash modulo the length), bumped under _sync by every
    // write and removal of a key in the stripe: a fill from the store checks that no write to its key happened
    // while it read the store, so an older stored value never overwrites a newer write or resurrects a removal.
    private readonly long[] _stripeVersions = new long[StripeCount];

    // Guarded by _sync.
    private int _count;
    private int _withOptions;
    private long _hitsAtClear;
    private long _missesAtClear;
    private long _capacityEvictions;
    private long _expiredEvictions;
    private long _removedEvictions;
    private long _clearedEvictions;

    public CacheEngine(int maxSize, int topKeysCount, CacheClock clock, IRemovalObserver? observer = null,
        EvictionPolicy evictionPolicy = EvictionPolicy.Lru)
    {
        _maxSize = maxSize;
        _policy = evictionPolicy == EvictionPolicy.TinyLfu ? new TinyLfuPolicy(maxSize, FoldReads) : new LruPolicy();
        _clock = clock;
        _reads = new ReadRecorder(clock.Now);
        _observer = observer;
        _drainScratch = new RequestBuffer.Request[_requests.Capacity];
        _topKeys = new TopKeysSummary(TopKeysCapacity(topKeysCount));
        _table = new NodeTable(maxSize);
    }

    public int MaxSize => _maxSize;

    public CacheClock Clock => _clock;

    /// <summary>Entries held now.</summary>
    public int Count => Volatile.Read(ref _count);

    /// <summary>Hits since the engine was created (not reset by <see cref="Clear"/>: metrics are monotonic).</summary>
    public long TotalHits => _reads.Hits();

    /// <summary>Misses since the engine was created (not reset by <see cref="Clear"/>).</summary>
    public long TotalMisses => _reads.Misses();

    /// <summary>Hits and misses since creation or the last <see cref="Clear"/>, without taking the lock.</summary>
    public (long Hits, long Misses) RequestsSinceClear
    {
        get
        {
            // Baselines first: a Clear landing between the reads then leaves both differences >= 0.
            var hitsAtClear = Volatile.Read(ref _hitsAtClear);
            var missesAtClear = Volatile.Read(ref _missesAtClear);
            return (_reads.Hits() - hitsAtClear, _reads.Misses() - missesAtClear);
        }
    }

    /// <summary>
    /// The read path: returns the live node for <paramref name="key"/> and counts a hit, or counts a miss.
    /// An expired node is removed and counts as a miss.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryGet(string key, [MaybeNullWhen(false)] out CacheNode node)
    {
        if (TryGetHit(key, out node))
        {
            return true;
        }

        CountMiss(key);
        return false;
    }

    /// <summary>
    /// Returns the live node for <paramref name="key"/> and counts a hit; on a miss counts nothing, so a
    /// caller that looks further (a store) decides whether the read was a hit or a miss.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryGetHit(string key, [MaybeNullWhen(false)] out CacheNode node) =>
        _table.TryGetValue(key, out node) ? TryHit(ref node) : false;

    /// <summary>
    /// The read of the string API and the byte faces: a live text or bytes entry is a counted hit (its node in
    /// <paramref name="node"/>); a live entry of another kind is <see cref="TextRead.NotText"/>, counted as nothing. <paramref name="hash"/> is the key's hash,
    /// for <see cref="CountMiss(string, int)"/> when the caller counts a miss.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public TextRead TryGetTextHit(string key, out CacheNode? node, out int hash)
    {
        hash = KeyHash.Of(key);
        if (!_table.TryGetValue(key, hash, out var found))
        {
            node = null;
            return TextRead.Absent;
        }

        // The kind is on the node: the value itself is not touched (on a large cache, a cache miss per hit).
        if (found.Kind == ValueKind.Other)
        {
            node = null;
            return IsLive(found, _clock.Now) ? TextRead.NotText : TextRead.Absent;
        }

        var hit = TryHit(ref found);
        node = found;
        return hit ? TextRead.Hit : TextRead.Absent;
    }

    /// <summary>As <see cref="TryGetHit(string, out CacheNode)"/> for a key of any type (IMemoryCache).</summary>
    public bool TryGetHit(object key, [MaybeNullWhen(false)] out CacheNode node) =>
        _table.TryGetValue(key, out node) ? TryHit(ref node) : false;

    /// <summary>Counts a hit on <paramref name="node"/>: the request counter, recency and top keys.</summary>
    public void CountHit(CacheNode node)
    {
        if (_reads.Record(node, _clock.Now))
        {
            RecordRequest(node, node.Hash);
        }
    }

    /// <summary>Counts a hit on <paramref name="key"/> served without a node of this engine (a store hit memory did not keep).</summary>
    public void CountHit(string key)
    {
        _reads.AddHits(1);
        RecordRequest(key, NodeTable.HashOf(key));
    }

    /// <summary>Counts a miss on <paramref name="key"/>, whose hash <see cref="TryGetTextHit"/> gave: the request counter and top keys.</summary>
    public void CountMiss(string key, int hash)
    {
        _reads.RecordMiss();
        RecordRequest(key, hash);
    }

    /// <summary>Counts a miss on <paramref name="key"/>: the request counter and, for string keys, top keys.</summary>
    public void CountMiss(object key)
    {
        _reads.RecordMiss();
        if (key is string text)
        {
            RecordRequest(text, NodeTable.HashOf(text));
        }
    }

    /// <summary>Looks <paramref name="key"/> up without counting a request or touching recency.</summary>
    public bool TryPeek(object key, [MaybeNullWhen(false)] out CacheNode node) =>
        _table.TryGetValue(key, out node) && IsLive(node, _clock.Now);

    /// <summary>Adds or replaces the entry; the new entry is the most recently used. Returns the entry's node.</summary>
    public CacheNode Set(object key, object? value, long expiresAt, EntryOptions? options = null)
    {
        var node = CacheNode.Create(key, value, expiresAt, options);
        var tally = default(RemovalTally);
        lock (_sync)
        {
            AddOrReplace(node, ref tally);
        }

        Report(tally);
        return node;
    }

    /// <summary>The write version of <paramref name="key"/>'s stripe: read it before reading the store, pass it to <see cref="AddIfUnchanged"/>.</summary>
    public long WriteVersionOf(string key) => Volatile.Read(ref _stripeVersions[StripeOf(key)]);

    /// <summary>
    /// Adds the entry for a store hit, unless memory holds the key by now or a write or removal of it (or of a key
    /// sharing its stripe) happened since <paramref name="version"/> was read; returns the new node, or null when
    /// it stood down.
    /// </summary>
    public CacheNode? AddIfUnchanged(string key, object value, long expiresAt, long version)
    {
        var node = new CacheNode(key, value, expiresAt);
        var tally = default(RemovalTally);
        lock (_sync)
        {
            if (Volatile.Read(ref _stripeVersions[StripeOf(key)]) != version || _table.TryGetValue(key, out _))
            {
                return null;
            }

            AddOrReplace(node, ref tally);
        }

        Report(tally);
        return node;
    }

    /// <summary>
    /// Adds or replaces every entry, in order (the last ends most recently used). Callers stage and validate
    /// first: this cannot fail halfway.
    /// </summary>
    public void SetMany(IReadOnlyList<CacheNode> nodes)
    {
        for (var start = 0; start < nodes.Count; start += BatchSize)
        {
            var end = Math.Min(start + BatchSize, nodes.Count);
            var tally = default(RemovalTally);
            lock (_sync)
            {
                for (var i = start; i < end; i++)
                {
                    AddOrReplace(nodes[i], ref tally);
                }
            }

            Report(tally);
        }
    }

    /// <summary>Removes the entry for <paramref name="key"/>; true when there was one.</summary>
    public bool Remove(object key, RemovalCause cause = RemovalCause.Removed, bool fenceFills = true)
    {
        var tally = default(RemovalTally);
        bool removed;
        lock (_sync)
        {
            // Fenced even when memory has no entry, and under the lock: a fill from the store that read the key
            // before this removal then stands down instead of bringing it back. (Removing an entry fences its key
            // in any case.)
            if (fenceFills)
            {
                BumpVersion(key);
            }

            removed = TryFind(key, out var node) && RemoveNode(node, cause, ref tally);
        }

        Report(tally);
        return removed;
    }

    /// <summary>Removes <paramref name="node"/> if it is still the key's entry (a change token fired for it).</summary>
    public void RemoveIfCurrent(CacheNode node, RemovalCause cause)
    {
        var tally = default(RemovalTally);
        lock (_sync)
        {
            RemoveNode(node, cause, ref tally);
        }

        Report(tally);
    }

    /// <summary>
    /// Removes every entry whose string key contains <paramref name="pattern"/> (ordinal). The map is scanned
    /// without the lock (readers and writers go on); matches are removed in batches, each only if it is
    /// still the entry its key maps to.
    /// </summary>
    public int RemoveContaining(string pattern, bool fenceFills = true)
    {
        if (fenceFills)
        {
            BumpAllVersions();
        }

        var matches = new List<(CacheNode, RemovalCause)>();
        foreach (var node in _table.Nodes())
        {
            if (node.Key is string key && key.Contains(pattern, StringComparison.Ordinal))
            {
                matches.Add((node, RemovalCause.Removed));
            }
        }

        return RemoveNodes(matches);
    }

    /// <summary>Removes every entry; resets hits, misses, top keys and eviction counts. Returns how many entries it removed.</summary>
    public int Clear()
    {
        var tally = default(RemovalTally);
        lock (_sync)
        {
            // Requests buffered before the Clear are dropped with the counts they would have joined.
            using var counts = _counts.EnterScope();
            DrainRequests(count: false);
            var count = _count;
            var notify = new List<CacheNode>();
            _policy.Clear(node =>
            {
                node.IsLive = false;
                node.Reads = 0;
                if (node.Options is { NeedsNotification: true })
                {
                    notify.Add(node);
                }
            });
            _expirations.Clear();
            BumpAllVersions();
            _table.Clear();
            _count = 0;
            _withOptions = 0;
            _topKeys.Clear();
            _hitsAtClear = _reads.Hits();
            _missesAtClear = _reads.Misses();
            _capacityEvictions = _expiredEvictions = _removedEvictions = 0;
            _clearedEvictions = count;
            tally.Cleared = count;
            if (notify.Count > 0)
            {
                tally.Notifications = notify.ConvertAll(static node => (node, RemovalCause.Cleared));
            }
        }

        Report(tally);
        return tally.Cleared;
    }

    /// <summary>
    /// Removes every entry without resetting any counter (the entries count as <c>removed</c>): for copies
    /// that may be stale, unlike <see cref="Clear"/>, which starts the cache afresh.
    /// </summary>
    public int RemoveAll(bool fenceFills = true)
    {
        if (fenceFills)
        {
            BumpAllVersions();
        }

        var nodes = new List<(CacheNode, RemovalCause)>(Count);
        foreach (var node in AllNodes())
        {
            nodes.Add((node, RemovalCause.Removed));
        }

        return RemoveNodes(nodes);
    }

    /// <summary>
    /// Removes every expired entry: those past their absolute expiry from the heap, a batch per lock hold,
    /// then, when any entry has a sliding window or change tokens, those found expired by a scan.
    /// </summary>
    public int RemoveExpired()
    {
        var total = 0;
        while (true)
        {
            var tally = default(RemovalTally);
            lock (_sync)
            {
                var now = _clock.Now;
                while (tally.Expired < BatchSize && _expirations.Peek() is { } next && next.ExpiresAt <= now)
                {
                    RemoveNode(next, RemovalCause.Expired, ref tally);
                }
            }

            Report(tally);
            total += tally.Expired;
            if (tally.Expired < BatchSize)
            {
                break;
            }
        }

        if (Volatile.Read(ref _withOptions) == 0)
        {
            return total;
        }

        var now2 = _clock.Now;
        var expired = new List<(CacheNode, RemovalCause)>();
        foreach (var node in AllNodes())
        {
            if (node.Options?.ExpiredCause(now2) is { } cause)
            {
                expired.Add((node, cause));
            }
        }

        return total + RemoveNodes(expired);
    }

    /// <summary>The counters since creation or the last <see cref="Clear"/>, with the top keys.</summary>
    public EngineSnapshot Snapshot(int topKeysCount)
    {
        FoldAllReads();
        lock (_sync)
        {
            using var counts = _counts.EnterScope();
            DrainRequests();
            return new EngineSnapshot(
                _reads.Hits() - _hitsAtClear,
                _reads.Misses() - _missesAtClear,
                _count,
                _topKeys.Top(topKeysCount),
                new DialogueCacheEvictions(_capacityEvictions, _expiredEvictions, _removedEvictions, _clearedEvictions));
        }
    }

    /// <summary>
    /// The string keys of live entries used (written or read) since recency stamp <paramref name="since"/>: at most
    /// <paramref name="max"/>, the most recently used ones, oldest first; <paramref name="newest"/> is the newest stamp
    /// among them, the <paramref name="since"/> of the next call. Scans the table without a lock (a moving snapshot), so
    /// it costs the hit path nothing: for a store that keeps its own recency of what memory serves.
    /// </summary>
    public List<string> KeysUsedSince(long since, int max, out long newest)
    {
        // A min-heap of the newest max stamps seen: one pass over the table, O(n log max).
        var newestUsed = new PriorityQueue<string, long>(Math.Min(max, Math.Max(Count, 1)));
        foreach (var node in _table.Nodes())
        {
            var stamp = Volatile.Read(ref node.Stamp);
            if (stamp <= since || node.Key is not string key || !node.IsLive)
            {
                continue;
            }

            if (newestUsed.Count < max)
            {
                newestUsed.Enqueue(key, stamp);
            }
            else if (newestUsed.TryPeek(out _, out var oldest) && stamp > oldest)
            {
                newestUsed.EnqueueDequeue(key, stamp);
            }
        }

        newest = since;
        var keys = new List<string>(newestUsed.Count);
        while (newestUsed.TryDequeue(out var key, out var stamp))
        {
            keys.Add(key);
            newest = stamp;
        }

        return keys;
    }

    /// <summary>The most requested keys, most requested first (at most the summary's capacity).</summary>
    public KeyFrequency[] TopKeys(int count)
    {
        FoldAllReads();
        lock (_counts)
        {
            DrainRequests();
            return _topKeys.Top(count);
        }
    }

    private const int StripeCount = 1024;

    private static int StripeOf(object key) => NodeTable.HashOf(key) & (StripeCount - 1);

    // Atomic, because removals of absent keys bump without the lock; any bump makes the version differ from
    // every value read before it, which is all SetIfUnchanged needs.
    private void BumpVersion(object key) => BumpVersion(NodeTable.HashOf(key));

    private void BumpVersion(int hash) => Interlocked.Increment(ref _stripeVersions[hash & (StripeCount - 1)]);

    private void BumpAllVersions()
    {
        for (var i = 0; i < _stripeVersions.Length; i++)
        {
            Interlocked.Increment(ref _stripeVersions[i]);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool IsLive(CacheNode node, long now) =>
        node.ExpiresAt > now && (node is not CacheNodeWithOptions withOptions || withOptions.EntryOptions.ExpiredCause(now) is null);

    // Space-Saving needs spare counters beyond the keys reported for the reported ones to be right on
    // long-tailed workloads; 64 per reported key, at least 1024, is ample for Zipf traces.
    private static int TopKeysCapacity(int topKeysCount) => topKeysCount <= 0 ? 0 : Math.Max(1024, topKeysCount * 64);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private bool TryHit(ref CacheNode node)
    {
        var now = _clock.Now;
        if (node.ExpiresAt > now && (node is not CacheNodeWithOptions withOptions || withOptions.EntryOptions.TryTouch(now)))
        {
            if (_reads.Record(node, now))
            {
                RecordRequest(node, node.Hash);
            }

            return true;
        }

        RemoveIfExpired(node);
        node = null!;
        return false;
    }

    private bool TryFind(object key, [MaybeNullWhen(false)] out CacheNode node) => _table.TryGetValue(key, out node);

    private IEnumerable<CacheNode> AllNodes() => _table.Nodes();
}
