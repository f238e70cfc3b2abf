using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Dialogue.Caching.Benchmarks.Quick;
using Dialogue.Caching.Benchmarks.Workloads;

namespace Dialogue.Caching.Benchmarks.Memory;

/// <summary>
/// Prewarm of a generated 1,000,000-entry JSON object file into a 1,000,000-entry cache: entries per second,
/// peak resident memory (the kernel's high-water mark, reset before each run) and the peak managed heap.
/// </summary>
internal static class PrewarmMeasurement
{
    public const int Entries = 1_000_000;
    private const int Runs = 3;

    public static (List<PrewarmResult> Runs, long FileBytes, TimeSpan Generation, TimeSpan ParseOnly, TimeSpan CommitOnly) Measure()
    {
        var path = Path.Combine(Path.GetTempPath(), $"dialoguecache-prewarm-{Environment.ProcessId}.json");
        var warmupPath = path + ".warmup.json";
        try
        {
            var generation = Stopwatch.StartNew();
            Generate(path, Entries);
            generation.Stop();
            Generate(warmupPath, 20_000);

            // JIT the loader and the commit on a small file first.
            using (var warmup = new DialogueCache(new DialogueCacheOptions { MaxSize = Entries }))
            {
                warmup.PrewarmFromFileAsync(warmupPath).GetAwaiter().GetResult();
            }

            var results = new List<PrewarmResult>();
            for (var run = 0; run < Runs; run++)
            {
                results.Add(RunOnce(path));
            }

            return (results, new FileInfo(path).Length, generation.Elapsed, ParseOnly(path), CommitOnly());
        }
        finally
        {
            File.Delete(path);
            File.Delete(warmupPath);
        }
    }

    public static string Format((List<PrewarmResult> Runs, long FileBytes, TimeSpan Generation, TimeSpan ParseOnly, TimeSpan CommitOnly) measured)
    {
        var median = measured.Runs.OrderBy(run => run.Duration).ElementAt(measured.Runs.Count / 2);
        var text = new StringBuilder();
        text.AppendLine("### Prewarm: 1,000,000-entry JSON file into a 1,000,000-entry cache");
        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture,
            $"File: one JSON object, {measured.FileBytes / 1e6:0} MB ({Entries:N0} keys of ~47 chars, values of ~100 chars), generated in {measured.Generation.TotalSeconds:0.0} s. `PrewarmFromFileAsync` with the default loader; {Runs} runs, each into a new cache after a full GC; the median run (by duration) is shown.");
        text.AppendLine();
        text.AppendLine("| run | duration | entries/s | peak RSS (over RSS before) | peak managed heap over before | retained after GC | allocated | GC pauses (gen2 GCs) |");
        text.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|");
        for (var i = 0; i < measured.Runs.Count; i++)
        {
            var run = measured.Runs[i];
            text.AppendLine(CultureInfo.InvariantCulture,
                $"| {i + 1}{(run == median ? " (median)" : string.Empty)} | {run.Duration.TotalSeconds:0.00} s | {run.EntriesPerSecond:N0} | {Mb(run.PeakResidentBytes)} (+{Mb(run.PeakResidentBytes - run.ResidentBeforeBytes)}) | {Mb(run.PeakHeapOverBeforeBytes)} | {Mb(run.RetainedBytes)} ({(double)run.RetainedBytes / run.Entries:0} B/entry) | {Mb(run.AllocatedBytes)} | {run.GcPause.TotalSeconds:0.00} s ({run.Gen2Collections}) |");
        }

        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture,
            $"Where the time goes (one run each): reading the file with `JsonDialogueCacheLoader` alone (parse and string allocation, entries dropped) {measured.ParseOnly.TotalSeconds:0.00} s; `Prewarm` of the same 1,000,000 pairs already in memory (stage and commit, no parsing) {measured.CommitOnly.TotalSeconds:0.00} s.");
        return text.ToString();
    }

    private static TimeSpan ParseOnly(string path)
    {
        Harness.Settle();
        var started = Stopwatch.GetTimestamp();
        var count = 0;
        using (var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 0, FileOptions.Asynchronous | FileOptions.SequentialScan))
        {
            var entries = new JsonDialogueCacheLoader().LoadAsync(stream, CancellationToken.None).GetAsyncEnumerator();
            try
            {
                while (entries.MoveNextAsync().AsTask().GetAwaiter().GetResult())
                {
                    count++;
                }
            }
            finally
            {
                entries.DisposeAsync().AsTask().GetAwaiter().GetResult();
            }
        }

        var elapsed = Stopwatch.GetElapsedTime(started);
        return count == Entries ? elapsed : throw new InvalidOperationException($"The loader read {count} entries; expected {Entries}.");
    }

    private static TimeSpan CommitOnly()
    {
        var pairs = new KeyValuePair<string, string>[Entries];
        for (var i = 0; i < Entries; i++)
        {
            pairs[i] = new KeyValuePair<string, string>(KeySet.Key(i), KeySet.Value(i));
        }

        Harness.Settle();
        using var cache = new DialogueCache(new DialogueCacheOptions { MaxSize = Entries });
        var started = Stopwatch.GetTimestamp();
        cache.Prewarm(pairs);
        return Stopwatch.GetElapsedTime(started);
    }

    private static string Mb(long bytes) => (bytes / 1e6).ToString("N0", CultureInfo.InvariantCulture) + " MB";

    private static PrewarmResult RunOnce(string path)
    {
        Harness.Settle();
        var heapBefore = GC.GetTotalMemory(forceFullCollection: true);
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        ProcessMemory.TryResetPeak();
        var residentBefore = ProcessMemory.Resident();
        var pauseBefore = GC.GetTotalPauseDuration();
        var gen2Before = GC.CollectionCount(2);
        int count;
        TimeSpan duration;
        long heapPeak;
        var cache = new DialogueCache(new DialogueCacheOptions { MaxSize = Entries });
        using (var sampler = new HeapPeakSampler())
        {
            var started = Stopwatch.GetTimestamp();
            count = cache.PrewarmFromFileAsync(path).GetAwaiter().GetResult();
            duration = Stopwatch.GetElapsedTime(started);
            heapPeak = sampler.Peak;
        }

        var peakResident = ProcessMemory.PeakResident();
        var pause = GC.GetTotalPauseDuration() - pauseBefore;
        var gen2 = GC.CollectionCount(2) - gen2Before;
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
        var retained = GC.GetTotalMemory(forceFullCollection: true) - heapBefore;
        if (count != Entries || cache.Count != Entries)
        {
            throw new InvalidOperationException($"Prewarm stored {count} entries (cache holds {cache.Count}); expected {Entries}.");
        }

        GC.KeepAlive(cache);
        cache.Dispose();
        return new PrewarmResult(count, duration, peakResident, residentBefore, Math.Max(0, heapPeak - heapBefore), retained, allocated, pause, gen2);
    }

    private static void Generate(string path, int entries)
    {
        using var stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16);
        using var writer = new Utf8JsonWriter(stream);
        writer.WriteStartObject();
        for (var i = 0; i < entries; i++)
        {
            writer.WriteString(KeySet.Key(i), KeySet.Value(i));
        }

        writer.WriteEndObject();
    }
}
