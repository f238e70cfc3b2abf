namespace WebSample.Stats;

/// <summary>A most-requested key as the public dashboard shows it: character, context and a fingerprint.</summary>
/// <param name="Label">See <see cref="TopKeyLabels.Label"/>.</param>
/// <param name="Count">Reads of the key, hits and misses.</param>
internal sealed record DashboardTopKey(string Label, long Count);
