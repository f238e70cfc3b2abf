using System.Diagnostics.CodeAnalysis;
using BenchmarkDotNet.Attributes;
using Dialogue.Caching.Sqlite;

namespace Dialogue.Caching.Benchmarks.Sqlite;

/// <summary>
/// Write throughput into the file: 1000 new entries per invocation, write-behind (batched, flushed at the end so
/// the figure includes the writes to disk) against write-through (one synced transaction per entry). Memory-only
/// sets are the floor. Figures are per entry.
/// <c>dotnet run -c Release --project benchmarks/DialogueCache.Benchmarks -- --filter '*Sqlite*' --job short</c>
/// </summary>
[MemoryDiagnoser]
[SuppressMessage("Design", "CA1001", Justification = "BenchmarkDotNet owns the lifetime: [GlobalCleanup] disposes.")]
public class SqliteWriteBenchmarks
{
    private const int Entries = 1000;
    private const string Value = "A reply of ordinary length for a line of dialogue, about eighty characters long.";
    private string _folder = null!;
    private DialogueCache _memory = null!;
    private SqliteDialogueCacheStore _behindStore = null!;
    private DialogueCache _behind = null!;
    private SqliteDialogueCacheStore _throughStore = null!;
    private DialogueCache _through = null!;
    private string[] _keys = null!;
    private int _round;

    [GlobalSetup]
    public void Setup()
    {
        _folder = Path.Combine(Path.GetTempPath(), "dialogue-cache-bench-" + Guid.NewGuid().ToString("N"));
        var options = new DialogueCacheOptions { MaxSize = 10_000 };
        _memory = new DialogueCache(options);
        (_behindStore, _behind) = Open("behind.db", SqliteWriteMode.WriteBehind, options);
        (_throughStore, _through) = Open("through.db", SqliteWriteMode.WriteThrough, options);
        _keys = Enumerable.Range(0, Entries).Select(i => $"npc:guard|gate|t:line {i} of round ").ToArray();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _behindStore.Dispose();
        _throughStore.Dispose();
        _memory.Dispose();
        _behind.Dispose();
        _through.Dispose();
        Directory.Delete(_folder, recursive: true);
    }

    [Benchmark(OperationsPerInvoke = Entries)]
    public void MemoryOnly() => SetAll(_memory);

    [Benchmark(Baseline = true, OperationsPerInvoke = Entries)]
    public void WriteBehind()
    {
        SetAll(_behind);
        _behindStore.FlushAsync(CancellationToken.None).GetAwaiter().GetResult();
    }

    [Benchmark(OperationsPerInvoke = Entries)]
    public void WriteThrough() => SetAll(_through);

    // New keys every round, as a cache that keeps learning new lines: inserts, and trims once MaxRows is reached.
    private void SetAll(DialogueCache cache)
    {
        var round = Interlocked.Increment(ref _round);
        foreach (var key in _keys)
        {
            cache.Set(key + round, Value);
        }
    }

    private (SqliteDialogueCacheStore, DialogueCache) Open(string file, SqliteWriteMode mode, DialogueCacheOptions options)
    {
        var store = new SqliteDialogueCacheStore($"Data Source={Path.Combine(_folder, file)}", new SqliteStoreOptions { WriteMode = mode });
        var cache = new DialogueCache(options, store);
        store.StartAsync(CancellationToken.None).GetAwaiter().GetResult();
        return (store, cache);
    }
}
