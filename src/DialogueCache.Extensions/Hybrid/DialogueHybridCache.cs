using Dialogue.Caching.Internal;
using Microsoft.Extensions.Caching.Hybrid;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Dialogue.Caching.Hybrid;

/// <summary>
/// <see cref="HybridCache"/> over a <see cref="DialogueCache"/>: its memory tier is HybridCache's local cache, its
/// store (SQLite, Redis), if any, the distributed one. Entries are framed payloads (<see cref="HybridPayload"/>)
/// written through the cache's tier-aware payload calls, so they count in the same analytics and metrics and their
/// factory calls share the cache's stampede protection.
/// </summary>
internal sealed class DialogueHybridCache : HybridCache
{
    private readonly DialogueCache _cache;
    private readonly HybridSerializerRegistry _serializers;
    private readonly HybridTagInvalidations _invalidations = new();
    private readonly HybridCacheEntryOptions? _defaults;
    private readonly long _maximumPayloadBytes;
    private readonly int _maximumKeyLength;
    private readonly ILogger _logger;
    private readonly Func<object, bool> _isCurrent;

    public DialogueHybridCache(DialogueCache cache, DialogueHybridCacheOptions options, IServiceProvider? services = null,
        ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(cache);
        DialogueHybridCacheOptionsValidator.ThrowIfInvalid(options, nameof(options));
        _cache = cache;
        _defaults = options.DefaultEntryOptions;
        _maximumPayloadBytes = options.MaximumPayloadBytes;
        _maximumKeyLength = options.MaximumKeyLength;
        _serializers = new HybridSerializerRegistry(services);
        _logger = (ILogger?)loggerFactory?.CreateLogger<HybridCache>() ?? NullLogger.Instance;
        _isCurrent = IsCurrent;
    }

    /// <summary>The cache the face reads and writes.</summary>
    public DialogueCache Cache => _cache;

    /// <inheritdoc />
    public override ValueTask<T> GetOrCreateAsync<TState, T>(string key, TState state, Func<TState, CancellationToken, ValueTask<T>> factory,
        HybridCacheEntryOptions? options = null, IEnumerable<string>? tags = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(factory);
        var settings = HybridEntrySettings.Resolve(options, _defaults, _cache.Ttl);
        var tagSet = HybridTags.Create(tags);
        cancellationToken.ThrowIfCancellationRequested();

        if (!IsCacheable(key))
        {
            // As HybridCache: a key it cannot cache still gets its data.
            return settings.CallFactory ? factory(state, cancellationToken) : default;
        }

        return GetOrCreateCoreAsync(key, state, factory, settings, tagSet, cancellationToken);
    }

    /// <inheritdoc />
    public override ValueTask SetAsync<T>(string key, T value, HybridCacheEntryOptions? options = null, IEnumerable<string>? tags = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        var settings = HybridEntrySettings.Resolve(options, _defaults, _cache.Ttl);
        var tagSet = HybridTags.Create(tags);
        if (IsCacheable(key))
        {
            if (Encode(value, tagSet) is byte[] payload)
            {
                Write(key, payload, settings);
            }
            else
            {
                // Too large to store: the value it replaces must not be served in its place.
                _cache.RemovePayload(key);
            }
        }

        return default;
    }

    /// <inheritdoc />
    public override ValueTask RemoveAsync(string key, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        _cache.RemovePayload(key);
        return default;
    }

    /// <inheritdoc />
    public override ValueTask RemoveByTagAsync(string tag, CancellationToken cancellationToken = default)
    {
        // As HybridCache: nothing sensible to do for no tag.
        if (!string.IsNullOrWhiteSpace(tag))
        {
            _invalidations.Invalidate(tag, _cache.TimeProvider.GetUtcNow());
        }

        return default;
    }

    private async ValueTask<T> GetOrCreateCoreAsync<TState, T>(string key, TState state, Func<TState, CancellationToken, ValueTask<T>> factory,
        HybridEntrySettings settings, string[] tags, CancellationToken cancellationToken)
    {
        var found = await _cache.GetPayloadAsync(key, settings.ReadMemory, settings.ReadStore,
            settings.WriteMemory ? settings.LocalExpiration : null, _isCurrent, cancellationToken).ConfigureAwait(false);
        if (found is byte[] bytes && TryRead(bytes, out T cached))
        {
            return cached;
        }

        if (!settings.CallFactory)
        {
            return default!;
        }

        var outcome = await _cache.JoinOrStartAsync(
            key,
            async (_, token) => Encode(await factory(state, token).ConfigureAwait(false), tags),
            (k, payload) =>
            {
                if (payload is byte[] framed)
                {
                    Write(k, framed, settings);
                }
            },
            cancellationToken).ConfigureAwait(false);

        switch (outcome)
        {
            case byte[] payload when TryRead(payload, out T created):
                return created;
            case UncachedValue { Value: var value } when value is T or null:
                return (T)value!;
            default:
                // A call of another face (or for another type) on this key produced something this caller cannot
                // read: its own factory answers, without the cache.
                return await factory(state, cancellationToken).ConfigureAwait(false);
        }
    }

    // The payload to store, or an UncachedValue when the value is too large to.
    private object Encode<T>(T value, string[] tags)
    {
        var stamp = _invalidations.Stamp(_cache.TimeProvider.GetUtcNow());
        var payload = HybridPayload.Encode(value, stamp, tags, _serializers.Get<T>(), ImmutableTypes<T>.IsImmutable, _maximumPayloadBytes, out var length);
        if (payload is null)
        {
            Log.HybridPayloadTooLarge(_logger, _cache.Name, typeof(T).Name, length, _maximumPayloadBytes);
            return new UncachedValue(value);
        }

        return payload;
    }

    private void Write(string key, byte[] payload, HybridEntrySettings settings) =>
        _cache.SetPayload(key, payload, settings.Expiration, settings.LocalExpiration, settings.WriteMemory, settings.WriteStore);

    private bool TryRead<T>(byte[] payload, out T value)
    {
        if (HybridPayload.Decode(payload) is { } frame)
        {
            try
            {
                value = frame.Read(payload, _serializers.Get<T>(), ImmutableTypes<T>.IsImmutable);
                return true;
            }
            catch (Exception exception) when (exception is not OutOfMemoryException)
            {
                Log.HybridPayloadUnreadable(_logger, _cache.Name, typeof(T).Name, exception);
            }
        }

        value = default!;
        return false;
    }

    // A payload is usable when it is a frame created after every invalidation of its tags.
    private bool IsCurrent(object payload) =>
        HybridPayload.Decode(payload) is { } frame && _invalidations.IsCurrent(frame.Created, frame.Tags);

    private bool IsCacheable(string key)
    {
        var reason = string.IsNullOrWhiteSpace(key) ? "empty or white space"
            : key.Length > _maximumKeyLength ? "longer than MaximumKeyLength"
            : key.AsSpan().IndexOfAnyInRange('\0', (char)31) >= 0 ? "control characters"
            : null;
        if (reason is null)
        {
            return true;
        }

        Log.HybridKeyNotCached(_logger, _cache.Name, key.Length, reason);
        return false;
    }
}
