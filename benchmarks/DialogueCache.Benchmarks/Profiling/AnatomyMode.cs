using System.Diagnostics;
using System.Globalization;
using System.Text;
using Dialogue.Caching.Benchmarks.Peers;
using Dialogue.Caching.Benchmarks.Quick;
using Dialogue.Caching.Benchmarks.Workloads;

namespace Dialogue.Caching.Benchmarks.Profiling;

/// <summary>
/// <c>anatomy</c>: what each piece of DialogueCache's hit path costs. The hit-latency workload runs through a
/// copy of the engine's hit path (<see cref="HitPathReplica"/>) with its pieces switched on one at a time, beside
/// the real caches; a row's cost is its difference from the row above. The last rows are proposals.
/// </summary>
internal static class AnatomyMode
{
    private const int Operations = 1 << 21;

    public static int Run()
    {
        var total = Stopwatch.StartNew();
        var workload = StandardWorkloads.Hits();
        (string Name, string Kind, Func<CacheSubject> Create)[] rows =
        [
            (PeerNames.ConcurrentDictionary, "peer", () => CachePeers.Get(PeerNames.ConcurrentDictionary).Create(workload.Capacity)),
            ("replica: lookup of the node", "ladder", () => Replica("replica: lookup of the node", HitPathParts.None)),
            ("+ expiry check (Environment.TickCount64)", "ladder", () => Replica("+ clock", HitPathParts.Clock)),
            ("+ striped hit counter (Interlocked.Increment)", "ladder", () => Replica("+ counter", HitPathParts.Clock | HitPathParts.Counter)),
            ("+ read buffer (CAS, slot write; drain discards)", "ladder", () => Replica("+ buffer", HitPathParts.Clock | HitPathParts.Counter | HitPathParts.Buffer)),
            ("+ drain: LRU move-to-front", "ladder", () => Replica("+ lru", HitPathParts.Clock | HitPathParts.Counter | HitPathParts.Buffer | HitPathParts.Lru)),
            ("+ drain: top-keys increment and sift-down (= today's engine)", "ladder", () => Replica("today", HitPathParts.Today)),
            (PeerNames.DialogueCacheLru + " (real, public TryGet)", "peer", () => CachePeers.Get(PeerNames.DialogueCacheLru).Create(workload.Capacity)),
            (PeerNames.BitFasterLru, "peer", () => CachePeers.Get(PeerNames.BitFasterLru).Create(workload.Capacity)),
            ("proposal A: today, top keys sampled 1 in 16", "proposal", () => Replica("A", HitPathParts.Clock | HitPathParts.Counter | HitPathParts.Buffer | HitPathParts.Lru | HitPathParts.SampledTopKeys)),
            ("proposal B: A without the striped counter (hits counted from the buffer's tail)", "proposal", () => Replica("B", HitPathParts.Clock | HitPathParts.Buffer | HitPathParts.Lru | HitPathParts.SampledTopKeys)),
            ("proposal C: B without the clock read (expiry against a cached tick)", "proposal", () => Replica("C", HitPathParts.Buffer | HitPathParts.Lru | HitPathParts.SampledTopKeys)),
        ];

        var subjects = rows.Select(row => row.Create()).ToList();
        foreach (var subject in subjects)
        {
            subject.Fill(workload.Keys, workload.Values, workload.Keys.Length);
        }

        var start = 0;
        var results = Harness.Compare(
            subjects,
            threads: 1,
            subject => subject.Reads(workload.Keys, workload.Order, 0, 4_096),
            subject =>
            {
                start += Operations;
                var started = Stopwatch.GetTimestamp();
                var hits = subject.Reads(workload.Keys, workload.Order, start & int.MaxValue, Operations);
                var elapsed = Stopwatch.GetElapsedTime(started);
                if (hits != Operations)
                {
                    throw new InvalidOperationException($"{subject.Name}: {hits} of {Operations} reads hit.");
                }

                return new Measurement(elapsed.TotalNanoseconds / Operations, 0);
            });

        foreach (var subject in subjects)
        {
            subject.Dispose();
        }

        var text = new StringBuilder();
        text.AppendLine("### Hit path anatomy: 1,000 keys, capacity 1,000, 1 thread");
        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"Median of {Harness.Repetitions} repetitions, ns per hit. \"ladder\" rows are a copy of the engine's hit path with one more piece switched on than the row above; Δ is that piece's cost.");
        text.AppendLine();
        text.AppendLine("| row | kind | median ns/hit | min – max | Δ vs row above | ÷ ConcurrentDictionary |");
        text.AppendLine("|---|---|---:|---:|---:|---:|");
        var floor = results[0].Values.Median;
        for (var i = 0; i < rows.Length; i++)
        {
            var median = results[i].Values.Median;
            var delta = rows[i].Kind == "ladder" && i > 0 ? (median - results[i - 1].Values.Median).ToString("+0.0;-0.0", CultureInfo.InvariantCulture) : string.Empty;
            text.AppendLine(CultureInfo.InvariantCulture,
                $"| {rows[i].Name} | {rows[i].Kind} | {ComparisonTable.Number(median)} | {ComparisonTable.Number(results[i].Values.Min)} – {ComparisonTable.Number(results[i].Values.Max)} | {delta} | {ComparisonTable.Ratio(median, floor)} |");
        }

        var contended = results.Sum(result => result.ContendedRepetitions);
        if (contended > 0)
        {
            text.AppendLine();
            text.AppendLine(CultureInfo.InvariantCulture, $"{contended} repetitions got less than {Harness.MinimumCpuShare:P0} of a CPU after {Harness.Attempts} attempts (other work on the machine).");
        }

        Console.WriteLine(text);
        Console.WriteLine($"Total time: {total.Elapsed.TotalSeconds:0} s; load average {Harness.LoadAverage():0.00}.");
        return 0;

        CacheSubject Replica(string name, HitPathParts parts) => HitPathReplicaAdapter.Create(name, parts, workload.Capacity);
    }
}
