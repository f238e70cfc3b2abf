using System.Globalization;
using System.Text;
using Dialogue.Caching.Benchmarks.Peers;
using Dialogue.Caching.Benchmarks.Quick;
using Dialogue.Caching.Benchmarks.Workloads;

namespace Dialogue.Caching.Benchmarks.Memory;

/// <summary>
/// Memory per entry beyond the key and value: the keys and values are allocated (and kept alive) before the
/// first measurement, so the managed heap after a full collection grows by exactly what each cache adds for
/// 100,000 entries: its nodes, its map's buckets, its queues and heaps.
/// </summary>
internal static class MemoryPerEntry
{
    public const int Entries = 100_000;

    public static List<(string Name, double BytesPerEntry, int Held)> Measure()
    {
        var keys = KeySet.Keys(Entries);
        var values = KeySet.Values(Entries);
        var all = Enumerable.Range(0, Entries).ToArray();
        var results = new List<(string, double, int)>();
        foreach (var peer in CachePeers.All)
        {
            Harness.Settle();
            var before = GC.GetTotalMemory(forceFullCollection: true);
            var subject = peer.Create(Entries);
            subject.Fill(keys, values, Entries);

            // Let background work settle (BitFaster ConcurrentLfu's maintenance, MemoryCache's compaction).
            Thread.Sleep(200);
            var after = GC.GetTotalMemory(forceFullCollection: true);
            var held = (int)subject.Reads(keys, all, 0, Entries);
            results.Add((peer.Name, (double)(after - before) / Entries, held));
            subject.Dispose();
            GC.KeepAlive(subject);
        }

        GC.KeepAlive(keys);
        GC.KeepAlive(values);
        return results;
    }

    public static string Format(List<(string Name, double BytesPerEntry, int Held)> results)
    {
        var keyBytes = KeySet.Keys(Entries).Sum(KeySet.StringBytes) / (double)Entries;
        var valueBytes = KeySet.Values(Entries).Sum(KeySet.StringBytes) / (double)Entries;
        var baseline = results.First(result => result.Name == PeerNames.ConcurrentDictionary).BytesPerEntry;
        var text = new StringBuilder();
        text.AppendLine("### Memory per entry (100,000 entries, capacity 100,000)");
        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture,
            $"Managed heap growth after a full GC, divided by the entries; keys ({keyBytes:0} B each) and values ({valueBytes:0} B each) are allocated beforehand and not counted. One run (the figure is deterministic to a few bytes).");
        text.AppendLine();
        text.AppendLine("| cache | bytes per entry beyond key and value | over ConcurrentDictionary | entries held |");
        text.AppendLine("|---|---:|---:|---:|");
        foreach (var (name, bytes, held) in results)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"| {name} | {bytes:0} | {bytes - baseline:+0;-0;0} | {held:N0} |");
        }

        return text.ToString();
    }
}
