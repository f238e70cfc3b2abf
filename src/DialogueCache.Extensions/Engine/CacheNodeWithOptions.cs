namespace Dialogue.Caching.Engine;

/// <summary>An entry set with IMemoryCache/IDistributedCache options (sliding expiration, tokens, priority, callbacks).</summary>
internal sealed class CacheNodeWithOptions : CacheNode
{
    public CacheNodeWithOptions(object key, object? value, long expiresAt, EntryOptions options)
        : base(key, value, expiresAt)
    {
        EntryOptions = options;
    }

    public EntryOptions EntryOptions { get; }
}
