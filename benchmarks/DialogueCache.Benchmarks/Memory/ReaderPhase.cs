namespace Dialogue.Caching.Benchmarks.Memory;

/// <summary>What the reader threads of <see cref="InvalidatePatternMeasurement"/> are recording.</summary>
internal enum ReaderPhase
{
    /// <summary>Reading, not recording (warm-up, gaps between phases).</summary>
    Idle = 0,

    /// <summary>Two readers alone.</summary>
    Alone = 1,

    /// <summary>Two readers plus a third thread that only spins: the cost of sharing 2 cores among 3 threads.</summary>
    CpuCompetitor = 2,

    /// <summary>Two readers while another thread runs <c>InvalidatePattern</c>.</summary>
    DuringInvalidate = 3,

    /// <summary>Readers stop.</summary>
    Stop = 4,
}
