using System.Diagnostics;
using System.Globalization;
using System.Text;
using Dialogue.Caching.Benchmarks.Quick;
using Dialogue.Caching.Benchmarks.Workloads;

namespace Dialogue.Caching.Benchmarks.Memory;

/// <summary>
/// <c>InvalidatePattern</c> over 1,000,000 entries: its duration, and the read latency of 2 concurrent reader
/// threads during it compared with the same readers alone. On a 2-core machine the invalidating thread is a
/// third thread competing for 2 cores, so the readers also run beside a thread that only spins: the difference
/// between that control and "during" is what the invalidation itself costs readers (locks, cache-line traffic),
/// apart from the CPU it takes.
/// </summary>
internal static class InvalidatePatternMeasurement
{
    public const int Entries = 1_000_000;
    private const int Readers = 2;
    private static readonly TimeSpan PhaseLength = TimeSpan.FromMilliseconds(400);

    public static List<InvalidateResult> Measure()
    {
        var keys = KeySet.Keys(Entries);
        var values = KeySet.Values(Entries);
        var results = new List<InvalidateResult>
        {
            Run(keys, values, KeySet.CharacterPattern(7)),
            Run(keys, values, KeySet.ContextPattern(3)),
        };
        GC.KeepAlive(values);
        return results;
    }

    public static string Format(List<InvalidateResult> results)
    {
        var text = new StringBuilder();
        text.AppendLine("### InvalidatePattern over 1,000,000 entries, 2 concurrent readers");
        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture,
            $"Readers call `TryGet` on uniformly random keys of the 1,000,000 and time each call (`Stopwatch.GetTimestamp`, ~20 ns of it is the timer). Phases of {PhaseLength.TotalMilliseconds:0} ms: readers alone; readers beside a thread that only spins (3 threads on 2 cores); readers while `InvalidatePattern` runs.");
        text.AppendLine();
        text.AppendLine("| pattern | removed | duration alone / with 2 readers | readers | reads | p50 | p99 | p99.9 | max |");
        text.AppendLine("|---|---:|---:|---|---:|---:|---:|---:|---:|");
        foreach (var result in results)
        {
            var first = true;
            foreach (var (label, histogram) in new[] { ("alone", result.Alone), ("beside a spinning thread", result.CpuCompetitor), ("during InvalidatePattern", result.During) })
            {
                var head = first
                    ? string.Create(CultureInfo.InvariantCulture, $"| `{result.Pattern.Replace("|", "\\|", StringComparison.Ordinal)}` | {result.Removed:N0} | {result.DurationWithoutReaders.TotalMilliseconds:N0} ms / {result.Duration.TotalMilliseconds:N0} ms |")
                    : "| | | |";
                first = false;
                text.AppendLine(CultureInfo.InvariantCulture,
                    $"{head} {label} | {histogram.Count:N0} | {Ns(histogram.Percentile(50))} | {Ns(histogram.Percentile(99))} | {Ns(histogram.Percentile(99.9))} | {Ns(histogram.Max)} |");
            }
        }

        return text.ToString();
    }

    private static string Ns(long nanoseconds) => nanoseconds switch
    {
        >= 1_000_000 => string.Create(CultureInfo.InvariantCulture, $"{nanoseconds / 1e6:0.0} ms"),
        >= 10_000 => string.Create(CultureInfo.InvariantCulture, $"{nanoseconds / 1e3:0} µs"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{nanoseconds:N0} ns"),
    };

    private static InvalidateResult Run(string[] keys, string[] values, string pattern)
    {
        // First alone: the duration with the machine to itself.
        TimeSpan alone;
        Harness.Settle();
        using (var quiet = new DialogueCache(new DialogueCacheOptions { MaxSize = Entries }))
        {
            quiet.Prewarm(Pairs(keys, values));
            var begun = Stopwatch.GetTimestamp();
            quiet.InvalidatePattern(pattern);
            alone = Stopwatch.GetElapsedTime(begun);
        }

        Harness.Settle();
        using var cache = new DialogueCache(new DialogueCacheOptions { MaxSize = Entries });
        cache.Prewarm(Pairs(keys, values));

        var phase = (int)ReaderPhase.Idle;
        var histograms = new LatencyHistogram[Readers, 4];
        var threads = new Thread[Readers];
        for (var r = 0; r < Readers; r++)
        {
            for (var p = 0; p < 4; p++)
            {
                histograms[r, p] = new LatencyHistogram();
            }

            var reader = r;
            threads[r] = new Thread(() => Read(cache, keys, reader, ref phase, histograms)) { IsBackground = true, Name = $"reader-{r}" };
            threads[r].Start();
        }

        Thread.Sleep(300);
        SetPhase(ref phase, ReaderPhase.Alone);
        Thread.Sleep(PhaseLength);
        SetPhase(ref phase, ReaderPhase.Idle);

        var spinner = new Thread(() =>
        {
            while (Volatile.Read(ref phase) == (int)ReaderPhase.CpuCompetitor)
            {
                Thread.SpinWait(20);
            }
        });
        SetPhase(ref phase, ReaderPhase.CpuCompetitor);
        spinner.Start();
        Thread.Sleep(PhaseLength);
        SetPhase(ref phase, ReaderPhase.Idle);
        spinner.Join();

        Thread.Sleep(50);
        SetPhase(ref phase, ReaderPhase.DuringInvalidate);
        var started = Stopwatch.GetTimestamp();
        var removed = cache.InvalidatePattern(pattern);
        var duration = Stopwatch.GetElapsedTime(started);
        SetPhase(ref phase, ReaderPhase.Stop);
        foreach (var thread in threads)
        {
            thread.Join();
        }

        var merged = new LatencyHistogram[4];
        for (var p = 0; p < 4; p++)
        {
            merged[p] = new LatencyHistogram();
            for (var r = 0; r < Readers; r++)
            {
                merged[p].Add(histograms[r, p]);
            }
        }

        return new InvalidateResult(pattern, removed, duration, alone,
            merged[(int)ReaderPhase.Alone], merged[(int)ReaderPhase.CpuCompetitor], merged[(int)ReaderPhase.DuringInvalidate]);
    }

    private static void SetPhase(ref int phase, ReaderPhase value) => Volatile.Write(ref phase, (int)value);

    private static void Read(DialogueCache cache, string[] keys, int reader, ref int phase, LatencyHistogram[,] histograms)
    {
        // Random key order, drawn up front.
        var random = new Random(1_000 + reader);
        var order = new int[1 << 16];
        for (var i = 0; i < order.Length; i++)
        {
            order[i] = random.Next(keys.Length);
        }

        var position = 0;
        while (true)
        {
            var current = Volatile.Read(ref phase);
            if (current == (int)ReaderPhase.Stop)
            {
                return;
            }

            var key = keys[order[position]];
            position = (position + 1) & (order.Length - 1);
            var started = Stopwatch.GetTimestamp();
            cache.TryGet(key, out _);
            var elapsed = Stopwatch.GetTimestamp() - started;
            if (current != (int)ReaderPhase.Idle)
            {
                histograms[reader, current].Record(elapsed * 1_000_000_000 / Stopwatch.Frequency);
            }
        }
    }

    private static IEnumerable<KeyValuePair<string, string>> Pairs(string[] keys, string[] values)
    {
        for (var i = 0; i < keys.Length; i++)
        {
            yield return new KeyValuePair<string, string>(keys[i], values[i]);
        }
    }
}
