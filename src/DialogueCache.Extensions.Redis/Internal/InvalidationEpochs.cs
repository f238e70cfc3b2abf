namespace Dialogue.Caching.Redis.Internal;

/// <summary>
/// Counts backplane invalidations received, per key stripe and overall, so a read can tell whether an
/// invalidation of its key arrived while it was in flight (its answer may then be the old value, and the
/// read is repeated rather than letting that old value back into memory).
/// </summary>
internal sealed class InvalidationEpochs
{
    private const int Stripes = 256;
    private readonly long[] _stripes = new long[Stripes];
    private long _all;

    public EpochStamp Read(string key)
    {
        var index = Index(key);
        return new EpochStamp(index, Volatile.Read(ref _all), Volatile.Read(ref _stripes[index]));
    }

    public bool Changed(in EpochStamp stamp) =>
        Volatile.Read(ref _all) != stamp.All || Volatile.Read(ref _stripes[stamp.Index]) != stamp.Stripe;

    /// <summary>An invalidation of one key arrived.</summary>
    public void Bump(string key) => Interlocked.Increment(ref _stripes[Index(key)]);

    /// <summary>An invalidation of many keys (pattern, clear, reconnect) arrived.</summary>
    public void BumpAll() => Interlocked.Increment(ref _all);

    private static int Index(string key) => (int)((uint)StringComparer.Ordinal.GetHashCode(key) % Stripes);
}
