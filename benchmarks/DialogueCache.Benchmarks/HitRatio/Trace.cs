namespace Dialogue.Caching.Benchmarks.HitRatio;

/// <summary>A request trace of key ids.</summary>
/// <param name="Name">For table headers.</param>
/// <param name="Requests">Key ids in request order.</param>
/// <param name="IsScan">Per request, whether it belongs to a one-off scan; null when the trace has none.</param>
internal sealed record Trace(string Name, int[] Requests, bool[]? IsScan)
{
    /// <summary>Requests that are not part of a scan.</summary>
    public int CountedRequests => IsScan is null ? Requests.Length : IsScan.Count(scan => !scan);
}
