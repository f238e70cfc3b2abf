using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using System.Diagnostics.Metrics;
using Dialogue.Caching.Analytics;
using Dialogue.Caching.Coalescing;
using Dialogue.Caching.Engine;
using Dialogue.Caching.Faces;
using Dialogue.Caching.Internal;
using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Dialogue.Caching;

/// <summary>
/// A bounded, thread-safe cache of dialogue responses: LRU eviction at <see cref="DialogueCacheOptions.MaxSize"/>,
/// a time-to-live per entry, stampede-protected <see cref="GetOrCreateAsync"/>, prewarming from files, and
/// analytics through <see cref="Analytics"/> and the <c>DialogueCache</c> meter.
/// </summary>
/// <remarks>
/// Hits take no lock and allocate nothing (a miss may briefly take a counts lock of its own when its buffer stripe
/// is full; writers take that lock only to count an evicted entry's reads); writes serialize on one short lock. No user code (factories,
/// loaders, metric listeners) runs under that lock. Disposing releases the cache's own meter; the cache keeps
/// working in memory afterwards.
/// </remarks>
public sealed partial class DialogueCache : IDialogueCache, IMemoryCache, IDistributedCache, IDisposable
{
    /// <summary>The name of the meter the cache reports to (<c>dotnet-counters monitor --counters DialogueCache</c>).</summary>
    public const string MeterName = "DialogueCache";

    private readonly CacheEngine _engine;
    private readonly CacheMetrics _metrics;
    private readonly EvictionCallbackDispatcher _evictions;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<string, InFlightCall> _inFlight = new(StringComparer.Ordinal);

    // HybridCache calls coalesce among themselves: their payload (a framed, serialized value) means nothing to
    // the string API's callers, so the two never share a call for the same key.
    private readonly ConcurrentDictionary<string, InFlightCall> _hybridInFlight = new(StringComparer.Ordinal);
    private readonly string _name;
    private readonly int _maxSize;
    private readonly TimeSpan _ttl;
    private readonly int _topKeysCount;
    private readonly IDialogueCacheStore? _store;
    private readonly ErrorLogThrottle _storeErrorLog;
    private long _factoryCalls;
    private long _coalescedCalls;
    private long _storeHits;
    private long _storeMisses;
    private long _storeErrors;
    private long _inputTokensSaved;
    private long _outputTokensSaved;
    private long _latencySavedTicks;

    /// <summary>Creates a cache with the default options: 1000 entries, a 600-second time-to-live.</summary>
    public DialogueCache()
        : this(new DialogueCacheOptions())
    {
    }

    /// <summary>Creates a cache with <paramref name="options"/>; later changes to the options object have no effect.</summary>
    /// <param name="options">The settings.</param>
    /// <param name="timeProvider">The clock for expirations; <see cref="TimeProvider.System"/> when null.</param>
    /// <exception cref="ArgumentException">An option is out of range (the message names it).</exception>
    public DialogueCache(DialogueCacheOptions options, TimeProvider? timeProvider = null)
        : this(options, timeProvider, loggerFactory: null, meterFactory: null)
    {
    }

    /// <summary>Creates a cache in front of a second-tier <paramref name="store"/> (SQLite, Redis).</summary>
    /// <param name="options">The settings.</param>
    /// <param name="store">The second tier; the cache attaches itself to it.</param>
    /// <param name="timeProvider">The clock for expirations; <see cref="TimeProvider.System"/> when null.</param>
    /// <param name="loggerFactory">Where the cache logs; nothing is logged when null.</param>
    /// <param name="meterFactory">Creates the <c>DialogueCache</c> meter; the cache owns a meter of its own when null.</param>
    /// <exception cref="ArgumentException">An option is out of range (the message names it).</exception>
    public DialogueCache(DialogueCacheOptions options, IDialogueCacheStore? store, TimeProvider? timeProvider = null,
        ILoggerFactory? loggerFactory = null, IMeterFactory? meterFactory = null)
        : this(options, timeProvider, loggerFactory, meterFactory, store)
    {
    }

    /// <summary>Creates a cache for dependency injection.</summary>
    /// <param name="options">The settings; validated when read.</param>
    /// <param name="timeProvider">The clock for expirations; <see cref="TimeProvider.System"/> when null.</param>
    /// <param name="loggerFactory">Where the cache logs; nothing is logged when null.</param>
    /// <param name="meterFactory">Creates the <c>DialogueCache</c> meter; the cache owns a meter of its own when null.</param>
    /// <param name="store">The second tier (SQLite, Redis), if any; the cache attaches itself to it.</param>
    /// <exception cref="ArgumentException">An option is out of range (the message names it).</exception>
    [ActivatorUtilitiesConstructor]
    public DialogueCache(IOptions<DialogueCacheOptions> options, TimeProvider? timeProvider = null,
        ILoggerFactory? loggerFactory = null, IMeterFactory? meterFactory = null, IDialogueCacheStore? store = null)
        : this(options?.Value!, timeProvider, loggerFactory, meterFactory, store)
    {
    }

    private DialogueCache(DialogueCacheOptions options, TimeProvider? timeProvider, ILoggerFactory? loggerFactory,
        IMeterFactory? meterFactory, IDialogueCacheStore? store = null)
    {
        DialogueCacheOptionsValidator.ThrowIfInvalid(options, nameof(options));

        // Copy what the cache uses: the options object stays the caller's to change.
        _name = options.Name;
        _maxSize = options.MaxSize;
        _ttl = options.Ttl;
        _topKeysCount = options.TopKeysCount;
        _logger = (ILogger?)loggerFactory?.CreateLogger<DialogueCache>() ?? NullLogger.Instance;
        _metrics = new CacheMetrics(_name, meterFactory, () => _engine!.Count, CurrentHitRatio);
        _evictions = new EvictionCallbackDispatcher(_metrics, _logger, _name);
        _engine = new CacheEngine(_maxSize, _topKeysCount, new CacheClock(timeProvider ?? TimeProvider.System), _evictions, options.EvictionPolicy);
        _storeErrorLog = new ErrorLogThrottle(_engine.Clock.TimeProvider, TimeSpan.FromSeconds(10));
        _store = store;
        _store?.Attach(this);
    }

    /// <summary>The cache's name (<see cref="DialogueCacheOptions.Name"/>), the <c>cache.name</c> tag of its metrics.</summary>
    public string Name => _name;

    /// <summary>The largest number of entries the cache holds.</summary>
    public int MaxSize => _maxSize;

    /// <summary>The default time-to-live of an entry.</summary>
    public TimeSpan Ttl => _ttl;

    /// <summary>Entries held now.</summary>
    public int Count => _engine.Count;

    /// <inheritdoc />
    public bool TryGet(string key, [MaybeNullWhen(false)] out string value)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        var read = _engine.TryGetTextHit(key, out var node, out var hash);
        if (read == TextRead.Hit)
        {
            _metrics.Hit();
            value = TextOf(node!);
            return true;
        }

        // A non-text value (set through IMemoryCache) is absent for the string API; the store's copy, if any, is older.
        if (read == TextRead.Absent && _store is not null && TryReadStore(key, out var stored))
        {
            return TryGetText(stored, out value);
        }

        CountMiss(key, hash);
        value = null;
        return false;
    }

    /// <inheritdoc />
    public string? Get(string key) => TryGet(key, out var value) ? value : null;

    /// <inheritdoc />
    public void Set(string key, string value, TimeSpan? ttl = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        ArgumentNullException.ThrowIfNull(value);
        SetCore(key, value, ResolveTtl(ttl));
    }

    /// <inheritdoc />
    public bool Invalidate(string key)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        var removed = _engine.Remove(key);
        StoreCall("remove", key, static (store, key) => store.Remove(key));
        FenceFillsAfterStore(key);
        return removed;
    }

    /// <inheritdoc />
    public int InvalidatePattern(string pattern)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        if (pattern.Length == 0)
        {
            throw new ArgumentException("An empty pattern would match every key; call Clear() to remove every entry.", nameof(pattern));
        }

        var removed = _engine.RemoveContaining(pattern);
        StoreCall("remove", pattern, static (store, pattern) => store.RemoveContaining(pattern));
        if (_store is not null)
        {
            _engine.RemoveContaining(pattern); // the fence after the store (see FenceFillsAfterStore)
        }

        return removed;
    }

    /// <inheritdoc />
    public void Clear()
    {
        _engine.Clear();
        StoreCall("clear", string.Empty, static (store, _) => store.Clear());
        if (_store is not null)
        {
            _engine.RemoveAll(); // the fence after the store (see FenceFillsAfterStore)
        }

        Interlocked.Exchange(ref _factoryCalls, 0);
        Interlocked.Exchange(ref _coalescedCalls, 0);
        Interlocked.Exchange(ref _storeHits, 0);
        Interlocked.Exchange(ref _storeMisses, 0);
        Interlocked.Exchange(ref _storeErrors, 0);
        Interlocked.Exchange(ref _inputTokensSaved, 0);
        Interlocked.Exchange(ref _outputTokensSaved, 0);
        Interlocked.Exchange(ref _latencySavedTicks, 0);
    }

    /// <summary>
    /// Records a model call made on a miss by a component that coalesces calls itself (the AI middleware):
    /// counted in <see cref="DialogueCacheAnalytics.FactoryCalls"/> and the <c>dialogue.generation.duration</c>
    /// histogram, as <see cref="GetOrCreateAsync"/>'s factory calls are.
    /// </summary>
    /// <param name="duration">How long the call took; not negative.</param>
    public void RecordGeneration(TimeSpan duration)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(duration, TimeSpan.Zero);
        Interlocked.Increment(ref _factoryCalls);
        _metrics.GenerationCompleted(duration);
    }

    /// <summary>
    /// Records a caller served by another caller's in-flight model call, for components that coalesce calls
    /// themselves: counted in <see cref="DialogueCacheAnalytics.CoalescedCalls"/> and <c>dialogue.generation.coalesced</c>.
    /// </summary>
    public void RecordCoalescedCall()
    {
        Interlocked.Increment(ref _coalescedCalls);
        _metrics.Coalesced();
    }

    /// <summary>
    /// Records what a hit saved: the model tokens not spent and the latency not waited (the AI middleware
    /// calls this with the usage recorded alongside a cached response). Reported by <see cref="Analytics"/>
    /// and the <c>dialogue.tokens.saved</c> and <c>dialogue.latency.saved</c> metrics.
    /// </summary>
    /// <param name="inputTokens">Input (prompt) tokens saved; not negative.</param>
    /// <param name="outputTokens">Output (completion) tokens saved; not negative.</param>
    /// <param name="latency">Model latency avoided; not negative.</param>
    public void RecordSavings(long inputTokens, long outputTokens, TimeSpan latency)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(inputTokens);
        ArgumentOutOfRangeException.ThrowIfNegative(outputTokens);
        ArgumentOutOfRangeException.ThrowIfLessThan(latency, TimeSpan.Zero);
        Interlocked.Add(ref _inputTokensSaved, inputTokens);
        Interlocked.Add(ref _outputTokensSaved, outputTokens);
        Interlocked.Add(ref _latencySavedTicks, latency.Ticks);
        _metrics.Saved(inputTokens, outputTokens, latency);
    }

    /// <inheritdoc />
    public DialogueCacheAnalytics Analytics()
    {
        var snapshot = _engine.Snapshot(_topKeysCount);
        return new DialogueCacheAnalytics
        {
            Hits = snapshot.Hits,
            Misses = snapshot.Misses,
            HitRatio = Ratio(snapshot.Hits, snapshot.Misses),
            MostFrequentlyRequested = snapshot.TopKeys,
            CurrentSize = snapshot.Count,
            MaxSize = _maxSize,
            Ttl = _ttl,
            Evictions = snapshot.Evictions,
            FactoryCalls = Interlocked.Read(ref _factoryCalls),
            CoalescedCalls = Interlocked.Read(ref _coalescedCalls),
            StoreHits = Interlocked.Read(ref _storeHits),
            StoreMisses = Interlocked.Read(ref _storeMisses),
            StoreErrors = Interlocked.Read(ref _storeErrors),
            InputTokensSaved = Interlocked.Read(ref _inputTokensSaved),
            OutputTokensSaved = Interlocked.Read(ref _outputTokensSaved),
            LatencySaved = TimeSpan.FromTicks(Interlocked.Read(ref _latencySavedTicks)),
        };
    }

    /// <summary>Removes every expired entry now (the hosted service does this every <see cref="DialogueCacheOptions.SweepInterval"/>).</summary>
    /// <returns>How many entries were removed.</returns>
    public int RemoveExpired()
    {
        var removed = _engine.RemoveExpired();
        if (removed > 0)
        {
            Log.SweepRemoved(_logger, _name, removed);
        }

        return removed;
    }

    /// <summary>Releases the meter the cache created for itself (none when it got an <see cref="IMeterFactory"/>).</summary>
    public void Dispose() => _metrics.Dispose();

    private static double Ratio(long hits, long misses)
    {
        var total = hits + misses;
        return total == 0 ? 0 : (double)hits / total;
    }

    private double CurrentHitRatio()
    {
        var (hits, misses) = _engine.RequestsSinceClear;
        return Ratio(hits, misses);
    }

    private TimeSpan ResolveTtl(TimeSpan? ttl, [System.Runtime.CompilerServices.CallerArgumentExpression(nameof(ttl))] string? paramName = null)
    {
        if (ttl is not { } value)
        {
            return _ttl;
        }

        if (value <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(paramName, value, "The time-to-live must be greater than zero.");
        }

        return value;
    }
}
