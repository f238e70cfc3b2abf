namespace Dialogue.Caching.Benchmarks.Memory;

/// <summary>Samples the managed heap every few milliseconds on a background thread and keeps the largest value seen.</summary>
internal sealed class HeapPeakSampler : IDisposable
{
    private readonly Thread _thread;
    private volatile bool _stopping;
    private long _peak;

    public HeapPeakSampler()
    {
        _peak = GC.GetTotalMemory(forceFullCollection: false);
        _thread = new Thread(Sample) { IsBackground = true, Name = "heap-peak-sampler" };
        _thread.Start();
    }

    /// <summary>The largest managed heap size seen (bytes, live and not yet collected).</summary>
    public long Peak => Interlocked.Read(ref _peak);

    public void Dispose()
    {
        _stopping = true;
        _thread.Join();
    }

    private void Sample()
    {
        while (!_stopping)
        {
            var now = GC.GetTotalMemory(forceFullCollection: false);
            if (now > Interlocked.Read(ref _peak))
            {
                Interlocked.Exchange(ref _peak, now);
            }

            Thread.Sleep(2);
        }
    }
}
