using System.Diagnostics;
using System.Globalization;
using System.Text;
using Dialogue.Caching.Benchmarks.Peers;
using Dialogue.Caching.Benchmarks.Workloads;

namespace Dialogue.Caching.Benchmarks.HitRatio;

/// <summary>
/// <c>hitratio</c>: replays the Zipf(0.9) and Zipf(0.7) traces, with and without one-off scans, at capacities
/// 1,000 and 10,000, through every bounded cache of <see cref="CachePeers"/> on one thread (read; on a miss,
/// set), and computes Belady's optimum for each as the ceiling. <c>hitratio &lt;text&gt;</c> replays only the caches whose
/// name contains the text (or one of several separated by '|'), without the optimum (for quick comparisons while tuning a policy).
/// </summary>
internal static class HitRatioMode
{
    public const string BeladyName = "Belady's optimum (offline)";
    private static readonly int[] Capacities = [1_000, 10_000];

    public static int Run(string? only = null)
    {
        var total = Stopwatch.StartNew();
        var keys = KeySet.Keys(TraceBuilder.MaxKeyId);
        const string value = "a cached reply";
        var zipf09 = TraceBuilder.Zipf(0.9, seed: 9);
        var zipf07 = TraceBuilder.Zipf(0.7, seed: 7);
        Trace[] traces = [zipf09, zipf07, TraceBuilder.WithScans(zipf09), TraceBuilder.WithScans(zipf07)];

        var results = new List<HitRatioResult>();
        foreach (var trace in traces)
        {
            var countMask = trace.IsScan?.Select(scan => !scan).ToArray();
            foreach (var capacity in Capacities)
            {
                var started = Stopwatch.GetTimestamp();
                long hits, counted;
                if (only is null)
                {
                    (hits, counted) = BeladyOptimum.Hits(trace.Requests, capacity, TraceBuilder.MaxKeyId, trace.IsScan);
                    results.Add(Result(BeladyName, trace, capacity, hits, counted, Stopwatch.GetElapsedTime(started)));
                }

                foreach (var peer in CachePeers.All.Where(peer => peer.IsBounded && (only is null || only.Split('|').Any(part => peer.Name.Contains(part, StringComparison.Ordinal)))))
                {
                    using var subject = peer.Create(capacity, CacheUse.Replay);
                    started = Stopwatch.GetTimestamp();
                    hits = subject.Replay(keys, value, trace.Requests, countMask, out counted);
                    results.Add(Result(peer.Name, trace, capacity, hits, counted, Stopwatch.GetElapsedTime(started)));
                }

                Console.Error.WriteLine($"  {trace.Name} @ {capacity:N0}: done ({total.Elapsed.TotalSeconds:0} s)");
            }
        }

        Console.WriteLine(Format(results, traces));
        Console.WriteLine($"Total time: {total.Elapsed.TotalSeconds:0} s.");
        return 0;
    }

    public static string Format(List<HitRatioResult> results, Trace[] traces)
    {
        var names = results.Select(result => result.Cache).Distinct().ToList();
        var pure = traces.Where(trace => trace.IsScan is null).ToList();
        var scanned = traces.Where(trace => trace.IsScan is not null).ToList();
        var text = new StringBuilder();
        text.AppendLine("### Hit ratio (%), 1,000,000 Zipf requests over 100,000 keys");
        text.AppendLine();
        text.AppendLine("Single-threaded replay: TryGet, and on a miss Set. Seeded traces (Zipf(0.9) seed 9, Zipf(0.7) seed 7).");
        text.AppendLine();
        Header(text, pure.SelectMany(trace => Capacities.Select(capacity => $"{trace.Name} @ {capacity:N0}")));
        foreach (var name in names)
        {
            text.Append(CultureInfo.InvariantCulture, $"| {name} |");
            foreach (var trace in pure)
            {
                foreach (var capacity in Capacities)
                {
                    text.Append(CultureInfo.InvariantCulture, $" {Find(results, name, trace.Name, capacity).HitRatio:0.0} |");
                }
            }

            text.AppendLine();
        }

        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture,
            $"### Hit ratio (%) with one-off scans: after every {TraceBuilder.ScanEvery:N0} Zipf requests, {TraceBuilder.ScanLength:N0} keys never requested again");
        text.AppendLine();
        text.AppendLine("1,200,000 requests, 200,000 of them (16.7 %) in 100 scans. Each cell: hit ratio over the 1,000,000 Zipf requests (a scan request can never hit) / the change in points against the same Zipf requests without scans (negative: what the scans cost).");
        text.AppendLine();
        Header(text, scanned.SelectMany(trace => Capacities.Select(capacity => $"{trace.Name} @ {capacity:N0}")));
        foreach (var name in names)
        {
            text.Append(CultureInfo.InvariantCulture, $"| {name} |");
            foreach (var trace in scanned)
            {
                var pureName = trace.Name.Replace(" + scans", string.Empty, StringComparison.Ordinal);
                foreach (var capacity in Capacities)
                {
                    var withScans = Find(results, name, trace.Name, capacity).CountedHitRatio;
                    var without = Find(results, name, pureName, capacity).HitRatio;
                    text.Append(CultureInfo.InvariantCulture, $" {withScans:0.0} / {withScans - without:+0.0;-0.0;0.0} |");
                }
            }

            text.AppendLine();
        }

        text.AppendLine();
        text.AppendLine("### Target: the `Lru` policy within 0.5 points of exact LRU on every trace");
        text.AppendLine();
        Header(text, traces.SelectMany(trace => Capacities.Select(capacity => $"{trace.Name} @ {capacity:N0}")));
        foreach (var name in names.Where(name => name == PeerNames.DialogueCacheLru))
        {
            text.Append(CultureInfo.InvariantCulture, $"| {name} − {PeerNames.LockedLru} (points) |");
            foreach (var trace in traces)
            {
                foreach (var capacity in Capacities)
                {
                    var difference = Find(results, name, trace.Name, capacity).CountedHitRatio - Find(results, PeerNames.LockedLru, trace.Name, capacity).CountedHitRatio;
                    text.Append(CultureInfo.InvariantCulture, $" {difference:+0.00;-0.00;0.00} |");
                }
            }

            text.AppendLine();
        }

        if (names.Contains(PeerNames.DialogueCacheTinyLfu) && names.Contains(PeerNames.BitFasterLfu))
        {
            TinyLfuTargets(text, results, pure, scanned);
        }

        return text.ToString();
    }

    // The TinyLfu policy's targets: at least BitFaster ConcurrentLfu + 1 point on every Zipf trace, and less than 1
    // point lost to the scans.
    private static void TinyLfuTargets(StringBuilder text, List<HitRatioResult> results, List<Trace> pure, List<Trace> scanned)
    {
        text.AppendLine();
        text.AppendLine("### Targets: the `TinyLfu` policy ≥ BitFaster ConcurrentLfu + 1 point on every Zipf trace, and loses < 1 point to scans");
        text.AppendLine();
        text.AppendLine("| trace | TinyLfu | ConcurrentLfu | difference (points) | status |");
        text.AppendLine("|---|---:|---:|---:|---|");
        foreach (var trace in pure)
        {
            foreach (var capacity in Capacities)
            {
                var ours = Find(results, PeerNames.DialogueCacheTinyLfu, trace.Name, capacity).HitRatio;
                var theirs = Find(results, PeerNames.BitFasterLfu, trace.Name, capacity).HitRatio;
                var difference = ours - theirs;
                text.AppendLine(CultureInfo.InvariantCulture,
                    $"| {trace.Name} @ {capacity:N0} | {ours:0.0} | {theirs:0.0} | {difference:+0.0;-0.0;0.0} | {(difference >= 1 ? "met" : $"**missed** by {1 - difference:0.0} points")} |");
            }
        }

        text.AppendLine();
        text.AppendLine("| trace | TinyLfu without scans | with scans | lost (points) | status |");
        text.AppendLine("|---|---:|---:|---:|---|");
        foreach (var trace in scanned)
        {
            var pureName = trace.Name.Replace(" + scans", string.Empty, StringComparison.Ordinal);
            foreach (var capacity in Capacities)
            {
                var without = Find(results, PeerNames.DialogueCacheTinyLfu, pureName, capacity).HitRatio;
                var with = Find(results, PeerNames.DialogueCacheTinyLfu, trace.Name, capacity).CountedHitRatio;
                var lost = without - with;
                text.AppendLine(CultureInfo.InvariantCulture,
                    $"| {trace.Name} @ {capacity:N0} | {without:0.0} | {with:0.0} | {lost:0.0} | {(lost < 1 ? "met" : $"**missed** by {lost - 1:0.0} points")} |");
            }
        }
    }

    private static HitRatioResult Result(string cache, Trace trace, int capacity, long hits, long counted, TimeSpan elapsed) =>
        new(cache, trace.Name, capacity, 100.0 * hits / trace.Requests.Length, 100.0 * counted / trace.CountedRequests, elapsed);

    private static HitRatioResult Find(List<HitRatioResult> results, string cache, string trace, int capacity) =>
        results.First(result => result.Cache == cache && result.Trace == trace && result.Capacity == capacity);

    private static void Header(StringBuilder text, IEnumerable<string> columns)
    {
        var list = columns.ToList();
        text.Append("| cache |");
        foreach (var column in list)
        {
            text.Append(CultureInfo.InvariantCulture, $" {column} |");
        }

        text.AppendLine();
        text.Append("|---|");
        foreach (var unused in list)
        {
            text.Append("---:|");
        }

        text.AppendLine();
    }
}
