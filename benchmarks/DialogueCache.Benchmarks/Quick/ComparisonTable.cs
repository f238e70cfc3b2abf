using System.Globalization;
using System.Text;
using Dialogue.Caching.Benchmarks.Peers;

namespace Dialogue.Caching.Benchmarks.Quick;

/// <summary>
/// Prints one comparison as a markdown table: the median and range of each cache, bytes allocated per
/// operation, the ratio to ConcurrentDictionary, and for each of our caches the ratio "ours ÷ this peer"
/// (below 1 is better for a time, above 1 is better for a throughput).
/// </summary>
internal static class ComparisonTable
{
    public static string Format(string title, string unit, bool higherIsBetter, IReadOnlyList<PeerResult> results, string bytesColumn, bool showCpu = false)
    {
        var ours = results.Where(result => PeerNames.IsOurs(result.Name)).ToList();
        var baseline = results.FirstOrDefault(result => result.Name == PeerNames.ConcurrentDictionary);
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"### {title}");
        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"Median of {Harness.Repetitions} repetitions, {unit} ({(higherIsBetter ? "higher" : "lower")} is better).");
        text.AppendLine();
        text.Append(CultureInfo.InvariantCulture, $"| cache | median {unit} | min – max | {bytesColumn} |{(showCpu ? " CPU use |" : string.Empty)} ÷ ConcurrentDictionary |");
        foreach (var our in ours)
        {
            text.Append(CultureInfo.InvariantCulture, $" {our.Name} ÷ this |");
        }

        text.AppendLine();
        text.Append(showCpu ? "|---|---:|---:|---:|---:|---:|" : "|---|---:|---:|---:|---:|");
        foreach (var unused in ours)
        {
            text.Append("---:|");
        }

        text.AppendLine();
        foreach (var result in results)
        {
            var median = result.Values.Median;
            text.Append(CultureInfo.InvariantCulture,
                $"| {result.Name}{(result.Note is null ? string.Empty : " ¹")} | {Number(median)} | {Number(result.Values.Min)} – {Number(result.Values.Max)} | {Number(result.BytesPerOperation.Median)} |");
            if (showCpu)
            {
                text.Append(CultureInfo.InvariantCulture, $" {result.CpuShare.Median:P0} |");
            }

            text.Append(CultureInfo.InvariantCulture, $" {(baseline is null ? "–" : Ratio(median, baseline.Values.Median))} |");
            foreach (var our in ours)
            {
                text.Append(CultureInfo.InvariantCulture, $" {Ratio(our.Values.Median, median)} |");
            }

            text.AppendLine();
        }

        if (showCpu)
        {
            text.AppendLine();
            text.AppendLine("CPU use: process CPU time / (threads × wall time), median; below 100 % when threads waited on a lock, slept, or were preempted by other work on the machine.");
        }

        var contended = results.Sum(result => result.ContendedRepetitions);
        if (contended > 0)
        {
            text.AppendLine();
            text.AppendLine(CultureInfo.InvariantCulture,
                $"{contended} of {results.Sum(result => result.Values.Count)} repetitions got less than {Harness.MinimumCpuShare:P0} of their threads' time on a CPU after {Harness.Attempts} attempts (other work on the machine): {string.Join(", ", results.Where(result => result.ContendedRepetitions > 0).Select(result => $"{result.Name} {result.ContendedRepetitions}"))}.");
        }

        foreach (var result in results.Where(result => result.Note is not null))
        {
            text.AppendLine();
            text.AppendLine(CultureInfo.InvariantCulture, $"¹ {result.Name}: {result.Note}");
        }

        return text.ToString();
    }

    public static string Number(double value) => value switch
    {
        0 => "0",
        >= 100 => value.ToString("N0", CultureInfo.InvariantCulture),
        >= 10 => value.ToString("0.0", CultureInfo.InvariantCulture),
        _ => value.ToString("0.00", CultureInfo.InvariantCulture),
    };

    public static string Ratio(double numerator, double denominator) =>
        denominator <= 0 ? "–" : (numerator / denominator).ToString("0.00", CultureInfo.InvariantCulture) + "×";
}
