using System.Diagnostics;
using Dialogue.Caching.Benchmarks.Peers;

namespace Dialogue.Caching.Benchmarks.Quick;

/// <summary>
/// A small Stopwatch harness for the quick mode. Every cache is warmed up the same way, then the repetitions
/// run round-robin over the caches (rotating who goes first) so that a noisy moment on a shared machine
/// spreads over all of them instead of landing on one; the median of the repetitions is reported.
/// </summary>
/// <remarks>
/// A single-threaded repetition during which the process got less than <see cref="MinimumCpuShare"/> of the
/// wall time on a CPU was preempted by something else on the machine (the 2-core machines this runs on are
/// shared): it is run again, up to <see cref="Attempts"/> times, and counted as contended if it never got its
/// share. With several threads a low share may just as well be the cache's own lock waits, so those
/// repetitions are not retried; their CPU share is reported instead.
/// </remarks>
internal static class Harness
{
    public const int WarmupRepetitions = 2;
    public const int Repetitions = 7;
    public const double MinimumCpuShare = 0.9;
    public const int Attempts = 5;

    /// <summary>
    /// Warms <paramref name="subjects"/> up and measures each <see cref="Repetitions"/> times.
    /// <paramref name="jitWarmup"/> runs a small batch: it is called often enough for tiered compilation to
    /// promote the loops (30 calls, then a 100 ms delay before the optimized code is compiled in the
    /// background); a pause lets the optimized code arrive before the warm-up repetitions.
    /// </summary>
    public static List<PeerResult> Compare(IReadOnlyList<CacheSubject> subjects, int threads, Action<CacheSubject> jitWarmup, Func<CacheSubject, Measurement> repetition)
    {
        var results = subjects.Select(subject => new PeerResult(subject.Name)).ToList();
        foreach (var subject in subjects)
        {
            for (var i = 0; i < 60; i++)
            {
                jitWarmup(subject);
            }
        }

        Thread.Sleep(400);
        foreach (var subject in subjects)
        {
            jitWarmup(subject);
            for (var i = 0; i < WarmupRepetitions; i++)
            {
                repetition(subject);
            }
        }

        for (var round = 0; round < Repetitions; round++)
        {
            for (var i = 0; i < subjects.Count; i++)
            {
                var index = (i + round) % subjects.Count;
                var (measurement, share) = MeasureUncontended(() => repetition(subjects[index]), threads);
                results[index].Values.Add(measurement.Value);
                results[index].BytesPerOperation.Add(measurement.BytesPerOperation);
                results[index].CpuShare.Add(share);
                if (threads == 1 && share < MinimumCpuShare)
                {
                    results[index].ContendedRepetitions++;
                }
            }
        }

        return results;
    }

    /// <summary>
    /// Runs <paramref name="repetition"/> until the process got at least <see cref="MinimumCpuShare"/> of
    /// <paramref name="threads"/> × wall time on a CPU, at most <see cref="Attempts"/> times; returns the attempt
    /// that got the largest share.
    /// </summary>
    public static (Measurement Measurement, double CpuShare) MeasureUncontended(Func<Measurement> repetition, int threads)
    {
        using var process = Process.GetCurrentProcess();
        (Measurement Measurement, double CpuShare) best = default;
        for (var attempt = 0; attempt < Attempts; attempt++)
        {
            Settle();
            process.Refresh();
            var cpu = process.TotalProcessorTime;
            var started = Stopwatch.GetTimestamp();
            var measurement = repetition();
            var wall = Stopwatch.GetElapsedTime(started);
            process.Refresh();
            var share = (process.TotalProcessorTime - cpu) / (wall * threads);
            if (attempt == 0 || share > best.CpuShare)
            {
                best = (measurement, share);
            }

            if (threads > 1 || share >= MinimumCpuShare)
            {
                break;
            }
        }

        return best;
    }

    /// <summary>The 1-minute load average (Linux), or -1.</summary>
    public static double LoadAverage()
    {
        try
        {
            var first = File.ReadAllText("/proc/loadavg").Split(' ')[0];
            return double.Parse(first, System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (IOException)
        {
            return -1;
        }
    }

    /// <summary>Collects garbage left by the previous repetition so that it is not charged to the next cache.</summary>
    public static void Settle()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
    }
}
