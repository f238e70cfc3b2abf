using System.Diagnostics.Metrics;
using Dialogue.Caching.Engine;

namespace Dialogue.Caching.Analytics;

/// <summary>
/// The cache's instruments on the <c>DialogueCache</c> meter. Every measurement carries <c>cache.name</c>;
/// keys never become tags (unbounded cardinality). A counter nobody listens to costs one branch.
/// </summary>
internal sealed class CacheMetrics : IRemovalObserver, IDisposable
{
    private readonly Meter _meter;
    private readonly bool _ownsMeter;
    private readonly Counter<long> _requests;
    private readonly Counter<long> _evictions;
    private readonly Histogram<double> _generationDuration;
    private readonly Counter<long> _coalesced;
    private readonly Counter<long> _storeRequests;
    private readonly Counter<long> _storeErrors;
    private readonly Counter<long> _tokensSaved;
    private readonly Counter<double> _latencySaved;
    private readonly KeyValuePair<string, object?> _nameTag;
    private readonly KeyValuePair<string, object?> _hitTag = new("cache.request.type", "hit");
    private readonly KeyValuePair<string, object?> _missTag = new("cache.request.type", "miss");

    public CacheMetrics(string cacheName, IMeterFactory? meterFactory, Func<long> entries, Func<double> hitRatio)
    {
        _nameTag = new KeyValuePair<string, object?>("cache.name", cacheName);

        // One meter per cache name (the factory shares meters with equal name and tags), so each cache's
        // observable instruments report through their own callbacks.
        var options = new MeterOptions(DialogueCache.MeterName) { Tags = [_nameTag] };
        _ownsMeter = meterFactory is null;
        _meter = meterFactory?.Create(options) ?? new Meter(options);

        _requests = _meter.CreateCounter<long>("cache.requests", "{request}", "Cache reads, by result (hit or miss).");
        _evictions = _meter.CreateCounter<long>("cache.evictions", "{entry}", "Entries that left the cache, by reason.");
        _generationDuration = _meter.CreateHistogram<double>("dialogue.generation.duration", "s", "Duration of factory (model) calls made on misses.");
        _coalesced = _meter.CreateCounter<long>("dialogue.generation.coalesced", "{call}", "Callers served by another caller's in-flight factory call.");
        _storeRequests = _meter.CreateCounter<long>("cache.store.requests", "{request}", "Reads of the second tier (SQLite, Redis) after a memory miss, by result (hit or miss).");
        _storeErrors = _meter.CreateCounter<long>("cache.store.errors", "{error}", "Failed operations of the second tier; the memory tier kept serving.");
        _tokensSaved = _meter.CreateCounter<long>("dialogue.tokens.saved", "{token}", "Model tokens not spent because a response was served from the cache, by token type (input or output).");
        _latencySaved = _meter.CreateCounter<double>("dialogue.latency.saved", "s", "Model latency avoided by responses served from the cache.");
        _meter.CreateObservableUpDownCounter("cache.entries", () => new Measurement<long>(entries(), _nameTag), "{entry}", "Entries held by the cache.");
        _meter.CreateObservableGauge("cache.hit_ratio", () => new Measurement<double>(hitRatio(), _nameTag), null, "Hits / (hits + misses) since the cache was created or cleared.");
    }

    public void Hit()
    {
        if (_requests.Enabled)
        {
            _requests.Add(1, _nameTag, _hitTag);
        }
    }

    public void Miss()
    {
        if (_requests.Enabled)
        {
            _requests.Add(1, _nameTag, _missTag);
        }
    }

    public void GenerationCompleted(TimeSpan duration)
    {
        if (_generationDuration.Enabled)
        {
            _generationDuration.Record(duration.TotalSeconds, _nameTag);
        }
    }

    public void Coalesced()
    {
        if (_coalesced.Enabled)
        {
            _coalesced.Add(1, _nameTag);
        }
    }

    public void StoreRead(bool hit)
    {
        if (_storeRequests.Enabled)
        {
            _storeRequests.Add(1, _nameTag, hit ? _hitTag : _missTag);
        }
    }

    public void StoreError(string operation)
    {
        if (_storeErrors.Enabled)
        {
            _storeErrors.Add(1, _nameTag, new KeyValuePair<string, object?>("operation", operation));
        }
    }

    public void Saved(long inputTokens, long outputTokens, TimeSpan latency)
    {
        if (_tokensSaved.Enabled)
        {
            if (inputTokens > 0)
            {
                _tokensSaved.Add(inputTokens, _nameTag, new KeyValuePair<string, object?>("token.type", "input"));
            }

            if (outputTokens > 0)
            {
                _tokensSaved.Add(outputTokens, _nameTag, new KeyValuePair<string, object?>("token.type", "output"));
            }
        }

        if (_latencySaved.Enabled && latency > TimeSpan.Zero)
        {
            _latencySaved.Add(latency.TotalSeconds, _nameTag);
        }
    }

    public void OnRemoved(in RemovalTally tally)
    {
        if (!_evictions.Enabled)
        {
            return;
        }

        Evicted(tally.Capacity, "capacity");
        Evicted(tally.Expired, "expired");
        Evicted(tally.Removed, "removed");
        Evicted(tally.Cleared, "cleared");
    }

    public void Dispose()
    {
        if (_ownsMeter)
        {
            _meter.Dispose();
        }
    }

    private void Evicted(int count, string reason)
    {
        if (count > 0)
        {
            _evictions.Add(count, _nameTag, new KeyValuePair<string, object?>("cache.eviction.reason", reason));
        }
    }
}
