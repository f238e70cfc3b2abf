using Microsoft.Extensions.Caching.Distributed;

namespace Dialogue.Caching.Tests.Support;

/// <summary>
/// Hands every call to another IDistributedCache. Microsoft's HybridCache ignores a plain MemoryDistributedCache as
/// its L2 (it would duplicate its L1); behind this wrapper it uses one, so its distributed tier can be tested.
/// </summary>
internal sealed class PassThroughDistributedCache(IDistributedCache inner) : IDistributedCache
{
    public byte[]? Get(string key) => inner.Get(key);

    public Task<byte[]?> GetAsync(string key, CancellationToken token = default) => inner.GetAsync(key, token);

    public void Refresh(string key) => inner.Refresh(key);

    public Task RefreshAsync(string key, CancellationToken token = default) => inner.RefreshAsync(key, token);

    public void Remove(string key) => inner.Remove(key);

    public Task RemoveAsync(string key, CancellationToken token = default) => inner.RemoveAsync(key, token);

    public void Set(string key, byte[] value, DistributedCacheEntryOptions options) => inner.Set(key, value, options);

    public Task SetAsync(string key, byte[] value, DistributedCacheEntryOptions options, CancellationToken token = default) =>
        inner.SetAsync(key, value, options, token);
}
