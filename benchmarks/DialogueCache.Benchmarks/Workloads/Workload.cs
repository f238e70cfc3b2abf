namespace Dialogue.Caching.Benchmarks.Workloads;

/// <summary>A pre-generated workload: keys, values, and the order (or mixed trace) the loops walk.</summary>
/// <param name="Name">What it is, for table titles.</param>
/// <param name="Keys">Key strings by id.</param>
/// <param name="Values">Value strings by id.</param>
/// <param name="Order">Key ids to read or set, or a mixed trace (see <see cref="Peers.CacheSubject.Mixed"/>).</param>
/// <param name="Capacity">The capacity every cache gets.</param>
internal sealed record Workload(string Name, string[] Keys, string[] Values, int[] Order, int Capacity);
