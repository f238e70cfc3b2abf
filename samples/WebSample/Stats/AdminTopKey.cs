namespace WebSample.Stats;

/// <summary>A most-requested key as the admin API shows it: the whole key.</summary>
/// <param name="Key">The cache key.</param>
/// <param name="Fingerprint">The dashboard's short name for it (<see cref="TopKeyLabels.Fingerprint"/>).</param>
/// <param name="Count">Reads of the key, hits and misses.</param>
internal sealed record AdminTopKey(string Key, string Fingerprint, long Count);
