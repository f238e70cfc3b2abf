namespace Dialogue.Caching.Benchmarks.Peers;

/// <summary>
/// One cache under test, with the workload loops compiled for it. A virtual call is made once per batch of
/// operations (per invocation), never per operation.
/// </summary>
internal abstract class CacheSubject : IDisposable
{
    protected CacheSubject(string name)
    {
        Name = name;
    }

    public string Name { get; }

    /// <summary>Reads <paramref name="operations"/> keys, <c>keys[order[(start + i) % order.Length]]</c>; returns the hits.</summary>
    public abstract long Reads(string[] keys, int[] order, int start, int operations);

    /// <summary>
    /// Runs <paramref name="operations"/> operations of a mixed trace from <paramref name="start"/> (wrapping):
    /// an entry <c>&gt;= 0</c> reads that key, an entry <c>&lt; 0</c> sets key <c>~entry</c>. Returns the hits.
    /// </summary>
    public abstract long Mixed(string[] keys, string[] values, int[] trace, int start, int operations);

    /// <summary>Sets <c>keys[order[(start + i) % order.Length]]</c> for <paramref name="operations"/> operations.</summary>
    public abstract void Sets(string[] keys, string[] values, int[] order, int start, int operations);

    /// <summary>Sets the first <paramref name="count"/> keys in order.</summary>
    public abstract void Fill(string[] keys, string[] values, int count);

    /// <summary>Replays a trace of key ids as an application would: read, and on a miss set. Returns the hits.</summary>
    public abstract long Replay(string[] keys, string value, int[] trace, bool[]? countMask, out long countedHits);

    public abstract void Dispose();
}
