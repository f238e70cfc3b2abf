namespace Dialogue.Caching.IntegrationTests.Sqlite;

/// <summary>
/// A seam around a real store: its writes (<c>Set</c>, <c>Remove</c>) can be held at the door, before they reach
/// the inner store, so a test can run a read exactly between the cache's memory change and the store's.
/// </summary>
internal sealed class GatedStore(IDialogueCacheStore inner) : IDialogueCacheStore, IDisposable
{
    private readonly ManualResetEventSlim _open = new(initialState: true);

    /// <summary>Set when a held write is waiting at the door.</summary>
    public ManualResetEventSlim WriteWaiting { get; } = new();

    /// <summary>Holds the next writes until <see cref="Open"/>.</summary>
    public void Hold()
    {
        WriteWaiting.Reset();
        _open.Reset();
    }

    /// <summary>Lets held and later writes through.</summary>
    public void Open() => _open.Set();

    public void Attach(IDialogueCacheStoreHost host) => inner.Attach(host);

    public Task StartAsync(CancellationToken cancellationToken) => inner.StartAsync(cancellationToken);

    public DialogueCacheStoreEntry? Get(string key) => inner.Get(key);

    public ValueTask<DialogueCacheStoreEntry?> GetAsync(string key, CancellationToken cancellationToken) => inner.GetAsync(key, cancellationToken);

    public void Set(DialogueCacheStoreEntry entry)
    {
        Door();
        inner.Set(entry);
    }

    public void Remove(string key)
    {
        Door();
        inner.Remove(key);
    }

    public void RemoveContaining(string pattern)
    {
        Door();
        inner.RemoveContaining(pattern);
    }

    public void Clear()
    {
        Door();
        inner.Clear();
    }

    public Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);

    /// <summary>Releases the gate's events (not the inner store, which the test owns).</summary>
    public void Dispose()
    {
        _open.Dispose();
        WriteWaiting.Dispose();
    }

    private void Door()
    {
        if (!_open.IsSet)
        {
            WriteWaiting.Set();
            Assert.True(_open.Wait(TimeSpan.FromSeconds(30)), "the test opened the door");
        }
    }
}
