using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Primitives;

namespace Dialogue.Caching.Faces;

/// <summary>
/// An <see cref="ICacheEntry"/> being configured through <c>IMemoryCache.CreateEntry</c>; stored in the
/// cache when disposed, as MemoryCache's entries are. Setters check their values as MemoryCache's do.
/// </summary>
internal sealed class MemoryCacheEntry : ICacheEntry
{
    private readonly DialogueCache _cache;
    private TimeSpan? _relativeExpiration;
    private TimeSpan? _slidingExpiration;
    private long? _size;
    private List<IChangeToken>? _tokens;
    private List<PostEvictionCallbackRegistration>? _callbacks;
    private bool _committed;

    public MemoryCacheEntry(DialogueCache cache, object key)
    {
        _cache = cache;
        Key = key;
    }

    public object Key { get; }

    public object? Value { get; set; }

    public DateTimeOffset? AbsoluteExpiration { get; set; }

    public TimeSpan? AbsoluteExpirationRelativeToNow
    {
        get => _relativeExpiration;
        set => _relativeExpiration = value is { } span && span <= TimeSpan.Zero
            ? throw new ArgumentOutOfRangeException(nameof(AbsoluteExpirationRelativeToNow), span, "The relative expiration value must be positive.")
            : value;
    }

    public TimeSpan? SlidingExpiration
    {
        get => _slidingExpiration;
        set => _slidingExpiration = value is { } span && span <= TimeSpan.Zero
            ? throw new ArgumentOutOfRangeException(nameof(SlidingExpiration), span, "The sliding expiration value must be positive.")
            : value;
    }

    public IList<IChangeToken> ExpirationTokens => _tokens ??= [];

    public IList<PostEvictionCallbackRegistration> PostEvictionCallbacks => _callbacks ??= [];

    public CacheItemPriority Priority { get; set; } = CacheItemPriority.Normal;

    /// <summary>Accepted and checked like MemoryCache's, but not used: the cache's capacity counts entries (MaxSize).</summary>
    public long? Size
    {
        get => _size;
        set => _size = value is < 0
            ? throw new ArgumentOutOfRangeException(nameof(Size), value, "The size must be non-negative.")
            : value;
    }

    internal IReadOnlyList<IChangeToken>? Tokens => _tokens;

    internal IReadOnlyList<PostEvictionCallbackRegistration>? Callbacks => _callbacks;

    public void Dispose()
    {
        if (!_committed)
        {
            _committed = true;
            _cache.CommitMemoryCacheEntry(this);
        }
    }
}
