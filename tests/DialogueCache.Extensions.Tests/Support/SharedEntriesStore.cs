namespace Dialogue.Caching.Tests.Support;

/// <summary>
/// A second store over the entries of a <see cref="RecordingStore"/>: what another process sharing the same Redis or
/// SQLite data sees. Changes through one are visible through the other; neither hears of the other's memory tier.
/// </summary>
internal sealed class SharedEntriesStore(RecordingStore shared) : IDialogueCacheStore
{
    public void Attach(IDialogueCacheStoreHost host)
    {
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public DialogueCacheStoreEntry? Get(string key) => shared.Entries.TryGetValue(key, out var entry) ? entry : null;

    public ValueTask<DialogueCacheStoreEntry?> GetAsync(string key, CancellationToken cancellationToken) => ValueTask.FromResult(Get(key));

    public void Set(DialogueCacheStoreEntry entry) => shared.Entries[entry.Key] = entry;

    public void Remove(string key) => shared.Entries.TryRemove(key, out _);

    public void RemoveContaining(string pattern)
    {
        foreach (var key in shared.Entries.Keys.Where(k => k.Contains(pattern, StringComparison.Ordinal)))
        {
            shared.Entries.TryRemove(key, out _);
        }
    }

    public void Clear() => shared.Entries.Clear();

    public Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
