using System.Globalization;
using System.Text;
using Dialogue.Caching.Benchmarks.Memory;
using Dialogue.Caching.Benchmarks.Peers;

namespace Dialogue.Caching.Benchmarks.Quick;

/// <summary>Checks the issue's performance targets against the quick mode's medians.</summary>
internal sealed class TargetReport
{
    private readonly StringBuilder _rows = new();

    public void HitLatency(List<PeerResult> results)
    {
        var floor = Median(results, PeerNames.ConcurrentDictionary);
        var bitFaster = Median(results, PeerNames.BitFasterLru);
        foreach (var our in Ours(results))
        {
            var ns = our.Values.Median;
            Row($"{our.Name}: hit latency ≤ 1.3× ConcurrentDictionary", $"{ns / floor:0.00}× ({ns:0.0} vs {floor:0.0} ns)", ns <= 1.3 * floor,
                $"by {(ns / floor) - 1.3:0.00}× ({ns - (1.3 * floor):0.0} ns)");
            Row($"{our.Name}: hit latency ≤ BitFaster ConcurrentLru", $"{ns / bitFaster:0.00}× ({ns:0.0} vs {bitFaster:0.0} ns)", ns <= bitFaster,
                $"by {ns - bitFaster:0.0} ns ({(ns / bitFaster) - 1:P0})");
            var bytes = our.BytesPerOperation.Median;
            Row($"{our.Name}: 0 B per hit", $"{bytes:0.###} B", bytes < 0.5, $"by {bytes:0.##} B");
        }
    }

    /// <summary>The TinyLfu policy's throughput against the Lru policy's, from a mixed run.</summary>
    public void TinyLfuThroughput(List<PeerResult> results, int threads)
    {
        var lru = Median(results, PeerNames.DialogueCacheLru);
        var tinyLfu = Median(results, PeerNames.DialogueCacheTinyLfu);
        Row($"`TinyLfu` throughput ≥ 0.9× `Lru`'s (mixed, {threads} thread{(threads == 1 ? string.Empty : "s")})", $"{tinyLfu / lru:0.00}× ({tinyLfu:0.00} vs {lru:0.00} Mops/s)",
            tinyLfu >= 0.9 * lru, $"by {0.9 - (tinyLfu / lru):0.00}×");
    }

    public void MixedTwoThreads(List<PeerResult> results)
    {
        var bitFaster = Median(results, PeerNames.BitFasterLru);
        foreach (var our in Ours(results))
        {
            var mops = our.Values.Median;
            Row($"{our.Name}: mixed throughput at 2 threads ≥ BitFaster ConcurrentLru", $"{mops / bitFaster:0.00}× ({mops:0.00} vs {bitFaster:0.00} Mops/s)", mops >= bitFaster,
                $"by {1 - (mops / bitFaster):P0} ({bitFaster - mops:0.00} Mops/s)");
        }
    }

    public void MemoryPerEntry(List<(string Name, double BytesPerEntry, int Held)> results)
    {
        foreach (var (name, bytes, _) in results.Where(result => PeerNames.IsOurs(result.Name)))
        {
            Row($"{name}: memory per entry ≤ 120 B beyond key and value", $"{bytes:0} B", bytes <= 120, $"by {bytes - 120:0} B");
        }
    }

    public void Prewarm(List<PrewarmResult> runs)
    {
        var median = runs.OrderBy(run => run.Duration).ElementAt(runs.Count / 2);
        Row("Prewarm of 1,000,000 JSON entries ≥ 1,000,000 entries/s", $"{median.EntriesPerSecond:N0} entries/s, peak RSS {median.PeakResidentBytes / 1e6:N0} MB",
            median.EntriesPerSecond >= 1_000_000, $"by {1 - (median.EntriesPerSecond / 1_000_000):P0}");
    }

    public void Invalidate(List<InvalidateResult> results)
    {
        foreach (var result in results)
        {
            Row($"InvalidatePattern(\"{result.Pattern.Replace("|", "\\|", StringComparison.Ordinal)}\") over 1,000,000: report duration and reader p99",
                $"{result.DurationWithoutReaders.TotalMilliseconds:N0} ms alone, {result.Duration.TotalMilliseconds:N0} ms beside 2 readers, {result.Removed:N0} removed; reader p99 {result.During.Percentile(99):N0} ns during vs {result.CpuCompetitor.Percentile(99):N0} ns beside a spinning thread, {result.Alone.Percentile(99):N0} ns alone",
                null, string.Empty);
        }
    }

    public string Format()
    {
        var text = new StringBuilder();
        text.AppendLine("### Targets (issue 4), from the medians above");
        text.AppendLine();
        text.AppendLine("| target | measured | status |");
        text.AppendLine("|---|---|---|");
        text.Append(_rows);
        text.AppendLine("| `Lru` within 0.5 points of exact LRU; `TinyLfu` ≥ ConcurrentLfu + 1 point, < 1 point lost to scans | see `hitratio` mode | – |");
        return text.ToString();
    }

    private static IEnumerable<PeerResult> Ours(List<PeerResult> results) => results.Where(result => PeerNames.IsOurs(result.Name));

    private static double Median(List<PeerResult> results, string name) => results.First(result => result.Name == name).Values.Median;

    private void Row(string target, string measured, bool? met, string missedBy)
    {
        var status = met switch
        {
            true => "met",
            false => "**missed** " + missedBy,
            null => "reported",
        };
        _rows.AppendLine(CultureInfo.InvariantCulture, $"| {target} | {measured} | {status} |");
    }
}
