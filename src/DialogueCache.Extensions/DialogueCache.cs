using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using System.Diagnostics.Metrics;
using Dialogue.Caching.Analytics;
using Dialogue.Caching.Coalescing;
using Dialogue.Caching.Engine;
using Dialogue.Caching.Internal;
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
/// Reads take no lock and allocate nothing; writes serialize on one short lock. No user code (factories,
/// loaders, metric listeners) runs under that lock. Disposing releases the cache's own meter; the cache keeps
/// working in memory afterwards.
/// </remarks>
public sealed partial class DialogueCache : IDialogueCache, IDisposable
{
    /// <summary>The name of the meter the cache reports to (<c>dotnet-counters monitor --counters DialogueCache</c>).</summary>
    public const string MeterName = "DialogueCache";

    private readonly CacheEngine _engine;
    private readonly CacheMetrics _metrics;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<string, InFlightCall> _inFlight = new(StringComparer.Ordinal);
    private readonly string _name;
    private readonly int _maxSize;
    private readonly TimeSpan _ttl;
    private readonly int _topKeysCount;
    private long _factoryCalls;
    private long _coalescedCalls;

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

    /// <summary>Creates a cache for dependency injection.</summary>
    /// <param name="options">The settings; validated when read.</param>
    /// <param name="timeProvider">The clock for expirations; <see cref="TimeProvider.System"/> when null.</param>
    /// <param name="loggerFactory">Where the cache logs; nothing is logged when null.</param>
    /// <param name="meterFactory">Creates the <c>DialogueCache</c> meter; the cache owns a meter of its own when null.</param>
    /// <exception cref="ArgumentException">An option is out of range (the message names it).</exception>
    [ActivatorUtilitiesConstructor]
    public DialogueCache(IOptions<DialogueCacheOptions> options, TimeProvider? timeProvider = null,
        ILoggerFactory? loggerFactory = null, IMeterFactory? meterFactory = null)
        : this(options?.Value!, timeProvider, loggerFactory, meterFactory)
    {
    }

    private DialogueCache(DialogueCacheOptions options, TimeProvider? timeProvider, ILoggerFactory? loggerFactory, IMeterFactory? meterFactory)
    {
        DialogueCacheOptionsValidator.ThrowIfInvalid(options, nameof(options));

        // Copy what the cache uses: the options object stays the caller's to change.
        _name = options.Name;
        _maxSize = options.MaxSize;
        _ttl = options.Ttl;
        _topKeysCount = options.TopKeysCount;
        _logger = (ILogger?)loggerFactory?.CreateLogger<DialogueCache>() ?? NullLogger.Instance;
        _metrics = new CacheMetrics(_name, meterFactory, () => _engine!.Count, CurrentHitRatio);
        _engine = new CacheEngine(_maxSize, _topKeysCount, new CacheClock(timeProvider ?? TimeProvider.System), _metrics);
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
        if (_engine.TryGet(key, out var node))
        {
            _metrics.Hit();
            value = (string)node.Value;
            return true;
        }

        _metrics.Miss();
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
        var lifetime = ResolveTtl(ttl);
        _engine.Set(key, value, _engine.Clock.ExpiryFor(lifetime));
    }

    /// <inheritdoc />
    public bool Invalidate(string key)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        return _engine.Remove(key);
    }

    /// <inheritdoc />
    public int InvalidatePattern(string pattern)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        if (pattern.Length == 0)
        {
            throw new ArgumentException("An empty pattern would match every key; call Clear() to remove every entry.", nameof(pattern));
        }

        return _engine.RemoveContaining(pattern);
    }

    /// <inheritdoc />
    public void Clear()
    {
        _engine.Clear();
        Interlocked.Exchange(ref _factoryCalls, 0);
        Interlocked.Exchange(ref _coalescedCalls, 0);
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
