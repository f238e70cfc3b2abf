namespace Dialogue.Caching.Benchmarks.Quick;

/// <summary>A cache's repetitions in one comparison.</summary>
internal sealed class PeerResult
{
    public PeerResult(string name)
    {
        Name = name;
    }

    public string Name { get; }

    public Samples Values { get; } = new();

    public Samples BytesPerOperation { get; } = new();

    /// <summary>Process CPU time over threads × wall time, per repetition: below 1 when threads waited (locks) or were preempted.</summary>
    public Samples CpuShare { get; } = new();

    /// <summary>Repetitions that never got their CPU share (see <see cref="Harness.MinimumCpuShare"/>).</summary>
    public int ContendedRepetitions { get; set; }

    /// <summary>Anything the table should say about this row (a cache that refused entries, for instance).</summary>
    public string? Note { get; set; }
}
