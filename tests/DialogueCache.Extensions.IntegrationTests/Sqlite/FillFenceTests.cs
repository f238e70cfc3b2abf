using Dialogue.Caching.Sqlite;
using Microsoft.Extensions.Time.Testing;

namespace Dialogue.Caching.IntegrationTests.Sqlite;

/// <summary>
/// The cache changes memory before the store. A memory miss that reads the file in between gets what the change
/// replaces or removes; once the change has reached the file, that read must not leave it in memory (found by
/// <see cref="SqliteStressTests"/>; here made exact by holding the store write at a <see cref="GatedStore"/>).
/// </summary>
public sealed class FillFenceTests : IDisposable
{
    private readonly SqliteTestFolder _folder = new();
    private readonly FakeTimeProvider _time = new();

    public void Dispose() => _folder.Dispose();

    [Theory]
    [InlineData("invalidate")]
    [InlineData("pattern")]
    [InlineData("clear")]
    public async Task Get_FileReadBetweenMemoryAndFileRemoval_EntryStaysGone(string removal)
    {
        await using var sqlite = new SqliteDialogueCacheStore(SqliteTestFolder.ConnectionString(_folder.Db),
            new SqliteStoreOptions { WriteMode = SqliteWriteMode.WriteThrough });
        using var gate = new GatedStore(sqlite);
        using var cache = new DialogueCache(new DialogueCacheOptions(), gate, _time);
        cache.Set("npc:a|k", "old");
        ((IDialogueCacheStoreHost)cache).EvictLocal("npc:a|k"); // only the file has it now

        gate.Hold();
        var remover = Task.Run(() =>
        {
            switch (removal)
            {
                case "invalidate": cache.Invalidate("npc:a|k"); break;
                case "pattern": cache.InvalidatePattern("npc:a|"); break;
                default: cache.Clear(); break;
            }
        });
        Assert.True(gate.WriteWaiting.Wait(TimeSpan.FromSeconds(30)), "memory is changed, the file not yet");

        Assert.Equal("old", cache.Get("npc:a|k")); // still in the file: served, and filled into memory
        gate.Open();
        await remover.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Null(sqlite.Get("npc:a|k"));
        Assert.Null(cache.Get("npc:a|k"));
    }

    [Fact]
    public async Task Get_FileReadBetweenMemoryAndFileWrite_NewValueWinsOnceTheEntryLeftMemory()
    {
        await using var sqlite = new SqliteDialogueCacheStore(SqliteTestFolder.ConnectionString(_folder.Db),
            new SqliteStoreOptions { WriteMode = SqliteWriteMode.WriteThrough });
        using var gate = new GatedStore(sqlite);
        using var cache = new DialogueCache(new DialogueCacheOptions(), gate, _time);
        cache.Set("k", "old");

        gate.Hold();
        var writer = Task.Run(() => cache.Set("k", "new"));
        Assert.True(gate.WriteWaiting.Wait(TimeSpan.FromSeconds(30)), "memory has the new value, the file not yet");

        // The new entry leaves memory (a full cache would evict it) before the file has it: a read fills the old one.
        ((IDialogueCacheStoreHost)cache).EvictLocal("k");
        Assert.Equal("old", cache.Get("k"));
        gate.Open();
        await writer.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal("new", sqlite.Get("k")!.Value.Value);
        Assert.Equal("new", cache.Get("k"));
    }
}
