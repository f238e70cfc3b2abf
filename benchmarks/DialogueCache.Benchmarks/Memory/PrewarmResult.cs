namespace Dialogue.Caching.Benchmarks.Memory;

/// <summary>One prewarm of the generated file.</summary>
internal readonly record struct PrewarmResult(
    int Entries,
    TimeSpan Duration,
    long PeakResidentBytes,
    long ResidentBeforeBytes,
    long PeakHeapOverBeforeBytes,
    long RetainedBytes,
    long AllocatedBytes,
    TimeSpan GcPause,
    int Gen2Collections)
{
    public double EntriesPerSecond => Entries / Duration.TotalSeconds;
}
