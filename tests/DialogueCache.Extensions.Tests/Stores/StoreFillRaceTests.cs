using Dialogue.Caching.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace Dialogue.Caching.Tests.Stores;

/// <summary>A store read racing a write or an invalidation of the same key must not put the older value back in memory.</summary>
public sealed class StoreFillRaceTests
{
    private readonly FakeTimeProvider _time = new();

    [Fact]
    public async Task Get_StoreReadOverlapsSet_MemoryKeepsTheNewerValue()
    {
        var store = new PausingStore();
        using var cache = new DialogueCache(new DialogueCacheOptions(), store, _time);
        store.Entries["k"] = new("k", "old", _time.GetUtcNow().AddMinutes(1));

        var reader = Task.Run(() => cache.Get("k"));
        await store.ReadStarted.Task;
        cache.Set("k", "new");
        store.Release.Set();

        Assert.Equal("old", await reader);
        Assert.Equal("new", cache.Get("k"));
    }

    [Fact]
    public async Task Get_StoreReadOverlapsInvalidate_EntryStaysGone()
    {
        var store = new PausingStore();
        using var cache = new DialogueCache(new DialogueCacheOptions(), store, _time);
        store.Entries["k"] = new("k", "old", _time.GetUtcNow().AddMinutes(1));

        var reader = Task.Run(() => cache.Get("k"));
        await store.ReadStarted.Task;
        cache.Invalidate("k");
        store.Release.Set();
        await reader;

        store.PauseReads = false;
        Assert.Equal(0, cache.Count);
        Assert.Null(cache.Get("k"));
    }

    [Fact]
    public void Get_NoRace_FillsMemory()
    {
        var store = new PausingStore { PauseReads = false };
        using var cache = new DialogueCache(new DialogueCacheOptions(), store, _time);
        store.Entries["k"] = new("k", "stored", _time.GetUtcNow().AddMinutes(1));

        Assert.Equal("stored", cache.Get("k"));

        Assert.Equal(1, cache.Count);
    }

    /// <summary>A store whose reads wait for the test, so a write can land while one is in progress.</summary>
    private sealed class PausingStore : IDialogueCacheStore, IDisposable
    {
        private readonly RecordingStore _inner = new();

        public Dictionary<string, DialogueCacheStoreEntry> Entries { get; } = [];

        public TaskCompletionSource ReadStarted { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public ManualResetEventSlim Release { get; } = new();

        public bool PauseReads { get; set; } = true;

        public void Attach(IDialogueCacheStoreHost host) => _inner.Attach(host);

        public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public DialogueCacheStoreEntry? Get(string key)
        {
            var entry = Entries.TryGetValue(key, out var found) ? found : (DialogueCacheStoreEntry?)null;
            if (PauseReads)
            {
                ReadStarted.TrySetResult();
                Assert.True(Release.Wait(TimeSpan.FromSeconds(30)));
            }

            return entry;
        }

        public ValueTask<DialogueCacheStoreEntry?> GetAsync(string key, CancellationToken cancellationToken) => ValueTask.FromResult(Get(key));

        public void Set(DialogueCacheStoreEntry entry)
        {
        }

        public void Remove(string key) => Entries.Remove(key);

        public void RemoveContaining(string pattern)
        {
        }

        public void Clear() => Entries.Clear();

        public Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public void Dispose() => Release.Dispose();
    }
}
