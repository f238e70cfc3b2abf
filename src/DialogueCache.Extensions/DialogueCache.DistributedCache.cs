using System.Buffers;
using System.Text;
using Dialogue.Caching.Engine;
using Microsoft.Extensions.Caching.Distributed;

namespace Dialogue.Caching;

/// <summary>
/// The <see cref="IDistributedCache"/> and <see cref="IBufferDistributedCache"/> faces: byte arrays in and
/// out, always copies, in the keyspace the string API shares (a string reads back as its UTF-8 bytes).
/// </summary>
public sealed partial class DialogueCache : IBufferDistributedCache
{
    /// <inheritdoc />
    byte[]? IDistributedCache.Get(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (HoldsNonText(key))
        {
            CountMiss(key);
            return null;
        }

        if (_engine.TryGetHit(key, out var node))
        {
            _metrics.Hit();
            return CopyBytes(node.Value);
        }

        if (StoreServes(key) && TryReadStore(key, out var stored))
        {
            return CopyBytes(stored);
        }

        CountMiss(key);
        return null;
    }

    /// <inheritdoc />
    async Task<byte[]?> IDistributedCache.GetAsync(string key, CancellationToken token)
    {
        ArgumentNullException.ThrowIfNull(key);
        token.ThrowIfCancellationRequested();
        if (HoldsNonText(key))
        {
            CountMiss(key);
            return null;
        }

        if (_engine.TryGetHit(key, out var node))
        {
            _metrics.Hit();
            return CopyBytes(node.Value);
        }

        if (StoreServes(key) && await ReadStoreAsync(key, token).ConfigureAwait(false) is { } stored)
        {
            return CopyBytes(stored);
        }

        CountMiss(key);
        return null;
    }

    /// <inheritdoc />
    void IDistributedCache.Set(string key, byte[] value, DistributedCacheEntryOptions options)
    {
        ArgumentNullException.ThrowIfNull(value);
        SetBytes(key, value.AsSpan().ToArray(), options);
    }

    /// <inheritdoc />
    Task IDistributedCache.SetAsync(string key, byte[] value, DistributedCacheEntryOptions options, CancellationToken token)
    {
        ArgumentNullException.ThrowIfNull(value);
        token.ThrowIfCancellationRequested();
        SetBytes(key, value.AsSpan().ToArray(), options);
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    void IDistributedCache.Refresh(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        Refresh(key);
    }

    /// <inheritdoc />
    Task IDistributedCache.RefreshAsync(string key, CancellationToken token)
    {
        ArgumentNullException.ThrowIfNull(key);
        token.ThrowIfCancellationRequested();
        Refresh(key);
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    void IDistributedCache.Remove(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        RemoveEverywhere(key);
    }

    /// <inheritdoc />
    Task IDistributedCache.RemoveAsync(string key, CancellationToken token)
    {
        ArgumentNullException.ThrowIfNull(key);
        token.ThrowIfCancellationRequested();
        RemoveEverywhere(key);
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    bool IBufferDistributedCache.TryGet(string key, IBufferWriter<byte> destination)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(destination);
        if (HoldsNonText(key))
        {
            CountMiss(key);
            return false;
        }

        if (_engine.TryGetHit(key, out var node))
        {
            _metrics.Hit();
            return WriteBytes(node.Value, destination);
        }

        if (StoreServes(key) && TryReadStore(key, out var stored))
        {
            return WriteBytes(stored, destination);
        }

        CountMiss(key);
        return false;
    }

    /// <inheritdoc />
    async ValueTask<bool> IBufferDistributedCache.TryGetAsync(string key, IBufferWriter<byte> destination, CancellationToken token)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(destination);
        token.ThrowIfCancellationRequested();
        if (HoldsNonText(key))
        {
            CountMiss(key);
            return false;
        }

        if (_engine.TryGetHit(key, out var node))
        {
            _metrics.Hit();
            return WriteBytes(node.Value, destination);
        }

        if (StoreServes(key) && await ReadStoreAsync(key, token).ConfigureAwait(false) is { } stored)
        {
            return WriteBytes(stored, destination);
        }

        CountMiss(key);
        return false;
    }

    /// <inheritdoc />
    void IBufferDistributedCache.Set(string key, ReadOnlySequence<byte> value, DistributedCacheEntryOptions options) =>
        SetBytes(key, value.ToArray(), options);

    /// <inheritdoc />
    ValueTask IBufferDistributedCache.SetAsync(string key, ReadOnlySequence<byte> value, DistributedCacheEntryOptions options, CancellationToken token)
    {
        token.ThrowIfCancellationRequested();
        SetBytes(key, value.ToArray(), options);
        return ValueTask.CompletedTask;
    }

    // Bytes for the byte faces from whatever a face stored: a string is its UTF-8 bytes; other objects
    // (IMemoryCache values) are not bytes and read as absent.
    private static byte[]? CopyBytes(object? value) => value switch
    {
        byte[] bytes => bytes.AsSpan().ToArray(),
        string text => Encoding.UTF8.GetBytes(text),
        _ => null,
    };

    private static bool WriteBytes(object? value, IBufferWriter<byte> destination)
    {
        switch (value)
        {
            case byte[] bytes:
                destination.Write(bytes);
                return true;
            case string text:
                Encoding.UTF8.GetBytes(text, destination);
                return true;
            default:
                return false;
        }
    }

    private void CountMiss(string key)
    {
        _engine.CountMiss(key);
        _metrics.Miss();
    }

    private void SetBytes(string key, byte[] value, DistributedCacheEntryOptions options)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(options);
        var clock = _engine.Clock;
        var now = clock.Now;

        var expiresAt = long.MaxValue;
        if (options.AbsoluteExpirationRelativeToNow is { } relative)
        {
            expiresAt = clock.ExpiryFor(relative);
        }

        if (options.AbsoluteExpiration is { } absolute)
        {
            var remaining = absolute - clock.TimeProvider.GetUtcNow();
            if (remaining <= TimeSpan.Zero)
            {
                // As MemoryDistributedCache (a MemoryCache underneath): expired on arrival, so not stored, and
                // the value it would have replaced is gone too.
                RemoveEverywhere(key);
                return;
            }

            expiresAt = Math.Min(expiresAt, clock.ExpiryFor(remaining));
        }

        if (expiresAt == long.MaxValue && options.SlidingExpiration is null)
        {
            expiresAt = clock.ExpiryFor(_ttl);
        }

        var entryOptions = options.SlidingExpiration is { } sliding
            ? new EntryOptions(sliding.Ticks, now, tokens: null, callbacks: null, Microsoft.Extensions.Caching.Memory.CacheItemPriority.Normal)
            : null;
        var node = _engine.Set(key, value, expiresAt, entryOptions);
        WriteToStore(key, value, node);
    }

    // Restarts a sliding window without reading the value; the store learns the new deadline.
    private void Refresh(string key)
    {
        if (_engine.TryPeek(key, out var node) && node.Options is { SlidingTicks: > 0 } options)
        {
            options.Refresh(_engine.Clock.Now);
            if (node.Value is not null)
            {
                WriteToStore(key, node.Value, node);
            }
        }
    }

    private void RemoveEverywhere(string key)
    {
        _engine.Remove(key);
        if (StoreServes(key))
        {
            StoreCall("remove", key, static (store, key) => store.Remove(key));
            FenceFillsAfterStore(key);
        }
    }
}
