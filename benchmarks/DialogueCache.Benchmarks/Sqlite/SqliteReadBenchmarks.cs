using System.Diagnostics.CodeAnalysis;
using BenchmarkDotNet.Attributes;
using Dialogue.Caching.Sqlite;

namespace Dialogue.Caching.Benchmarks.Sqlite;

/// <summary>
/// What a read costs per tier: a memory (L1) hit against a SQLite (L2) hit. <c>L2Hit_FillsMemory</c> is the
/// cache's whole path (memory miss, file read, memory fill); <c>StoreGet</c> is the file read alone.
/// <c>dotnet run -c Release --project benchmarks/DialogueCache.Benchmarks -- --filter '*Sqlite*' --job short</c>
/// </summary>
[MemoryDiagnoser]
[SuppressMessage("Design", "CA1001", Justification = "BenchmarkDotNet owns the lifetime: [GlobalCleanup] disposes.")]
public class SqliteReadBenchmarks
{
    private const string Key = "npc:blacksmith|forge|t:where can i buy a sword";
    private string _folder = null!;
    private SqliteDialogueCacheStore _store = null!;
    private DialogueCache _cache = null!;
    private IDialogueCacheStoreHost _host = null!;

    [GlobalSetup]
    public void Setup()
    {
        _folder = Path.Combine(Path.GetTempPath(), "dialogue-cache-bench-" + Guid.NewGuid().ToString("N"));
        _store = new SqliteDialogueCacheStore($"Data Source={Path.Combine(_folder, "read.db")}",
            new SqliteStoreOptions { WriteMode = SqliteWriteMode.WriteThrough });
        _cache = new DialogueCache(new DialogueCacheOptions { MaxSize = 10_000 }, _store);
        _host = _cache;
        _store.StartAsync(CancellationToken.None).GetAwaiter().GetResult();
        for (var i = 0; i < 5_000; i++)
        {
            _cache.Set($"npc:guard|gate|t:line {i}", $"A reply of ordinary length for line {i}, about eighty characters long.");
        }

        _cache.Set(Key, "Swords are in the rack by the anvil; the good ones cost forty silver.");
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _store.Dispose();
        _cache.Dispose();
        Directory.Delete(_folder, recursive: true);
    }

    [Benchmark(Baseline = true)]
    public string? L1Hit() => _cache.Get(Key);

    [Benchmark]
    public string? L2Hit_FillsMemory()
    {
        _host.EvictLocal(Key);
        return _cache.Get(Key);
    }

    [Benchmark]
    public DialogueCacheStoreEntry? StoreGet() => _store.Get(Key);
}
