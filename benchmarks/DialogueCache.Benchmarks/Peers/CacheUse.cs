namespace Dialogue.Caching.Benchmarks.Peers;

/// <summary>What a cache is built for, where a peer is best configured differently for each.</summary>
internal enum CacheUse
{
    /// <summary>Latency and throughput runs: every cache with the defaults its users get.</summary>
    Throughput,

    /// <summary>Single-threaded hit-ratio replays: deterministic background maintenance where a cache offers it.</summary>
    Replay,
}
