using System.Collections.Concurrent;

namespace Dialogue.Caching.Tests.Support;

/// <summary>
/// A second tier kept in a dictionary that records what the cache asked of it: the seam's contract without
/// SQLite or Redis (those are tested for real in the integration tests). Like them, it refuses empty keys.
/// </summary>
internal sealed class RecordingStore : IDialogueCacheStore
{
    public ConcurrentDictionary<string, DialogueCacheStoreEntry> Entries { get; } = new();

    public ConcurrentQueue<string> Calls { get; } = new();

    public IDialogueCacheStoreHost? Host { get; private set; }

    public List<DialogueCacheStoreEntry> LoadOnStart { get; } = [];

    public void Attach(IDialogueCacheStoreHost host)
    {
        Assert.Null(Host);
        Host = host;
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        Calls.Enqueue("start");
        Host!.Load(LoadOnStart);
        return Task.CompletedTask;
    }

    public DialogueCacheStoreEntry? Get(string key)
    {
        Calls.Enqueue($"get {key}");
        ArgumentException.ThrowIfNullOrEmpty(key);
        return Entries.TryGetValue(key, out var entry) ? entry : null;
    }

    public ValueTask<DialogueCacheStoreEntry?> GetAsync(string key, CancellationToken cancellationToken)
    {
        Calls.Enqueue($"getasync {key}");
        ArgumentException.ThrowIfNullOrEmpty(key);
        return ValueTask.FromResult(Entries.TryGetValue(key, out var entry) ? entry : (DialogueCacheStoreEntry?)null);
    }

    public void Set(DialogueCacheStoreEntry entry)
    {
        Calls.Enqueue($"set {entry.Key}");
        ArgumentException.ThrowIfNullOrEmpty(entry.Key);
        Entries[entry.Key] = entry;
    }

    public void Remove(string key)
    {
        Calls.Enqueue($"remove {key}");
        ArgumentException.ThrowIfNullOrEmpty(key);
        Entries.TryRemove(key, out _);
    }

    public void RemoveContaining(string pattern)
    {
        Calls.Enqueue($"removecontaining {pattern}");
        foreach (var key in Entries.Keys.Where(k => k.Contains(pattern, StringComparison.Ordinal)))
        {
            Entries.TryRemove(key, out _);
        }
    }

    public void Clear()
    {
        Calls.Enqueue("clear");
        Entries.Clear();
    }

    public Task FlushAsync(CancellationToken cancellationToken)
    {
        Calls.Enqueue("flush");
        return Task.CompletedTask;
    }
}
