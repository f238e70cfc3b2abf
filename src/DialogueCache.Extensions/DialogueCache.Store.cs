using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Text;
using Dialogue.Caching.Engine;
using Dialogue.Caching.Internal;

namespace Dialogue.Caching;

/// <summary>The second tier: reads on a memory miss, writes and invalidations passed on, and the host side a store calls.</summary>
public sealed partial class DialogueCache : IDialogueCacheStoreHost
{
    // TakeRecentlyUsedKeys: one caller at a time (the store's flush); the hit count and the recency stamp it last saw.
    private readonly Lock _usedKeysSync = new();
    private long _usedKeysHits;
    private long _usedKeysStamp;

    string IDialogueCacheStoreHost.CacheName => _name;

    TimeProvider IDialogueCacheStoreHost.TimeProvider => _engine.Clock.TimeProvider;

    bool IDialogueCacheStoreHost.EvictLocal(string key)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        return _engine.Remove(key, fenceFills: false);
    }

    int IDialogueCacheStoreHost.EvictLocalContaining(string pattern)
    {
        ArgumentException.ThrowIfNullOrEmpty(pattern);
        return _engine.RemoveContaining(pattern, fenceFills: false);
    }

    void IDialogueCacheStoreHost.EvictAllLocal() => _engine.RemoveAll(fenceFills: false);

    int IDialogueCacheStoreHost.Load(IEnumerable<DialogueCacheStoreEntry> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        var now = _engine.Clock.TimeProvider.GetUtcNow();
        var nodes = new List<CacheNode>();
        foreach (var entry in entries)
        {
            if (entry.ExpiresAt > now && !string.IsNullOrEmpty(entry.Key) && entry.Value is string or byte[])
            {
                nodes.Add(new CacheNode(entry.Key, entry.Value, _engine.Clock.ExpiryFor(entry.ExpiresAt - now)));
            }
        }

        // Only the last MaxSize can stay; do not churn the engine with the rest.
        var skip = Math.Max(0, nodes.Count - _maxSize);
        _engine.SetMany(skip == 0 ? nodes : nodes.GetRange(skip, nodes.Count - skip));
        var loaded = nodes.Count - skip;
        Log.StoreLoaded(_logger, _name, loaded);
        return loaded;
    }

    // Nothing on the hit path: a hit already stamps its node with its recency. The engine lists the live entries
    // stamped since the last call; nothing is scanned while no hit happened (writes reach the store themselves).
    IReadOnlyList<string> IDialogueCacheStoreHost.TakeRecentlyUsedKeys(int max)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(max);
        lock (_usedKeysSync)
        {
            var hits = _engine.TotalHits;
            if (hits == _usedKeysHits)
            {
                return [];
            }

            _usedKeysHits = hits;
            var keys = _engine.KeysUsedSince(_usedKeysStamp, max, out var newest);
            _usedKeysStamp = newest;
            return keys;
        }
    }

    void IDialogueCacheStoreHost.ReportError(string operation, Exception exception)
    {
        Interlocked.Increment(ref _storeErrors);
        _metrics.StoreError(operation);
        if (_storeErrorLog.ShouldLog(out var suppressed))
        {
            Log.StoreFailed(_logger, _name, operation, suppressed, exception);
        }
    }

    /// <summary>Lets the store load entries and start its background work (called by the hosted service at startup).</summary>
    internal Task StartStoreAsync(CancellationToken cancellationToken) =>
        _store?.StartAsync(cancellationToken) ?? Task.CompletedTask;

    /// <summary>Waits for the store's pending writes (called by the hosted service when the host stops).</summary>
    internal async Task FlushStoreAsync(CancellationToken cancellationToken)
    {
        if (_store is null)
        {
            return;
        }

        try
        {
            await _store.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            ((IDialogueCacheStoreHost)this).ReportError("flush", exception);
        }
    }

    // A store never sees the empty key. The IMemoryCache and IDistributedCache faces accept it, as Microsoft's
    // MemoryCache and MemoryDistributedCache do, but stores refuse it (and would count every such call as a store
    // error): an entry under "" lives in memory only. The other APIs refuse "" before they get here.
    private bool StoreServes(string key) => _store is not null && key.Length > 0;

    /// <summary>
    /// Reads the text under <paramref name="key"/> from memory without counting a request, touching recency or
    /// reading the store: for a component that has already counted this caller's read (the AI middleware checks
    /// again, before calling the model, whether a call that just finished stored the response).
    /// </summary>
    internal bool TryPeekText(string key, [NotNullWhen(true)] out string? text)
    {
        text = null;
        return _engine.TryPeek(key, out var node) && TryGetText(node.Value, out text);
    }

    // The text of a node TryGetTextHit found: its kind says which, without touching the value to ask.
    private static string TextOf(CacheNode node) =>
        node.Kind == ValueKind.Text ? Unsafe.As<string>(node.Value!) : Encoding.UTF8.GetString(Unsafe.As<byte[]>(node.Value!));

    // Text for the string API from whatever a face stored: IDistributedCache values are UTF-8 bytes; other
    // objects (IMemoryCache values) are not text and invisible to the string API.
    private static bool TryGetText(object? value, [NotNullWhen(true)] out string? text)
    {
        text = value switch
        {
            string s => s,
            byte[] bytes => Encoding.UTF8.GetString(bytes),
            _ => null,
        };
        return text is not null;
    }

    private void SetCore(string key, object value, TimeSpan ttl)
    {
        var node = _engine.Set(key, value, _engine.Clock.ExpiryFor(ttl));
        WriteToStore(key, value, node);
    }

    // The store gets an absolute expiry: the node's, or the end of its sliding window if that comes first.
    private void WriteToStore(string key, object value, CacheNode node)
    {
        if (!StoreServes(key))
        {
            return;
        }

        var clock = _engine.Clock;
        var deadline = Math.Min(node.ExpiresAt, node.Options?.SlidingDeadline ?? long.MaxValue);
        var remaining = Math.Max(0, deadline - clock.Now);
        var utcNow = clock.TimeProvider.GetUtcNow();
        var expiresAt = remaining >= (DateTimeOffset.MaxValue - utcNow).Ticks ? DateTimeOffset.MaxValue : utcNow.AddTicks(remaining);
        StoreCall("set", new DialogueCacheStoreEntry(key, value, expiresAt), static (store, entry) => store.Set(entry));

        // While the new entry stays in memory, no fill can replace it; once it is gone (evicted, replaced, removed),
        // a fill that read the store before this write landed could bring the older value back.
        if (!node.IsLive)
        {
            FenceFillsAfterStore(key);
        }
    }

    // Memory changes before the store, and each memory change fences store fills of its key (CacheEngine.AddIfUnchanged):
    // a fill that read its version after that fence but the store before the store call landed has what the call
    // replaced or removed, and nothing stops it. So once the call has returned (later store reads see the change),
    // the key is removed once more: that fences the fills still reading and drops one that landed in between (a
    // fence alone would miss that one). With a store, memory only holds copies: a newer copy dropped costs one store read.
    private void FenceFillsAfterStore(string key)
    {
        if (_store is not null)
        {
            _engine.Remove(key);
        }
    }

    // A store hit counts as a hit of the cache and fills memory with the entry's remaining lifetime, unless a
    // write or removal of the key landed while the store was read (see CacheEngine.AddIfUnchanged): the value
    // read may be older than that write, so it goes to this caller alone. Reading the store again would not help:
    // a store may not have applied the racing write yet (write-behind, asynchronous network writes).
    private bool TryReadStore(string key, [NotNullWhen(true)] out object? value)
    {
        var version = _engine.WriteVersionOf(key);
        DialogueCacheStoreEntry? entry;
        try
        {
            entry = _store!.Get(key);
        }
        catch (Exception exception)
        {
            ((IDialogueCacheStoreHost)this).ReportError("get", exception);
            entry = null;
        }

        if (entry is not { } found || !IsUsable(key, found))
        {
            CountStoreMiss();
            value = null;
            return false;
        }

        CountStoreHit(found, FillMemory(found, version, TimeSpan.MaxValue));
        value = found.Value;
        return true;
    }

    private async ValueTask<object?> ReadStoreAsync(string key, CancellationToken cancellationToken)
    {
        var version = _engine.WriteVersionOf(key);
        if (await ReadStoreEntryAsync(key, cancellationToken).ConfigureAwait(false) is not { } found || !IsUsable(key, found))
        {
            CountStoreMiss();
            return null;
        }

        CountStoreHit(found, FillMemory(found, version, TimeSpan.MaxValue));
        return found.Value;
    }

    private async ValueTask<DialogueCacheStoreEntry?> ReadStoreEntryAsync(string key, CancellationToken cancellationToken)
    {
        try
        {
            return await _store!.GetAsync(key, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            ((IDialogueCacheStoreHost)this).ReportError("get", exception);
            return null;
        }
    }

    private bool IsUsable(string key, DialogueCacheStoreEntry entry) =>
        entry.Key == key && entry.Value is string or byte[] && entry.ExpiresAt > _engine.Clock.TimeProvider.GetUtcNow();

    private void CountStoreMiss()
    {
        Interlocked.Increment(ref _storeMisses);
        _metrics.StoreRead(hit: false);
    }

    // A memory copy of a store hit living at most ttl, unless a write to the key landed since version was read.
    private CacheNode? FillMemory(DialogueCacheStoreEntry entry, long version, TimeSpan ttl)
    {
        var remaining = entry.ExpiresAt - _engine.Clock.TimeProvider.GetUtcNow();
        return _engine.AddIfUnchanged(entry.Key, entry.Value, _engine.Clock.ExpiryFor(ttl < remaining ? ttl : remaining), version);
    }

    // A store hit counts as a hit of the cache, with or without a memory copy (without one, the request still
    // counts for the key's frequency and the top keys).
    private void CountStoreHit(DialogueCacheStoreEntry entry, CacheNode? node)
    {
        if (node is null)
        {
            _engine.CountHit(entry.Key);
        }
        else
        {
            _engine.CountHit(node);
        }

        Interlocked.Increment(ref _storeHits);
        _metrics.StoreRead(hit: true);
        _metrics.Hit();
    }

    // A store is asked not to throw; if one does, the cache's caller still must not see it.
    private void StoreCall<TState>(string operation, TState state, Action<IDialogueCacheStore, TState> call)
    {
        if (_store is null)
        {
            return;
        }

        try
        {
            call(_store, state);
        }
        catch (Exception exception)
        {
            ((IDialogueCacheStoreHost)this).ReportError(operation, exception);
        }
    }
}
