namespace Dialogue.Caching.Benchmarks.Workloads;

/// <summary>
/// Runs a body on N threads at once: the calling thread plus N - 1 long-lived workers, released together by a
/// barrier. Long-lived threads keep their managed thread ids (DialogueCache stripes its counters and read
/// buffers by thread id, as a server's pool threads would), and nothing is started per measurement. The
/// caller takes a share of the work rather than waiting idle: on a 2-core machine, 2 threads means 2 busy cores.
/// </summary>
internal sealed class WorkerGroup : IDisposable
{
    private readonly Barrier _barrier;
    private readonly Thread[] _workers;
    private Action<int>? _body;
    private volatile bool _stopping;

    public WorkerGroup(int threads)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(threads, 1);
        Threads = threads;
        _barrier = new Barrier(threads);
        _workers = new Thread[threads - 1];
        for (var i = 0; i < _workers.Length; i++)
        {
            var index = i + 1;
            _workers[i] = new Thread(() => WorkerLoop(index)) { IsBackground = true, Name = $"bench-worker-{index}" };
            _workers[i].Start();
        }
    }

    public int Threads { get; }

    /// <summary>Runs <paramref name="body"/>(thread index) on every thread; returns the wall time from release to the last finish.</summary>
    public TimeSpan Run(Action<int> body)
    {
        if (Threads == 1)
        {
            var started = System.Diagnostics.Stopwatch.GetTimestamp();
            body(0);
            return System.Diagnostics.Stopwatch.GetElapsedTime(started);
        }

        _body = body;
        _barrier.SignalAndWait();
        var start = System.Diagnostics.Stopwatch.GetTimestamp();
        body(0);
        _barrier.SignalAndWait();
        var elapsed = System.Diagnostics.Stopwatch.GetElapsedTime(start);
        _body = null;
        return elapsed;
    }

    public void Dispose()
    {
        if (Threads > 1)
        {
            _stopping = true;
            _barrier.SignalAndWait();
            foreach (var worker in _workers)
            {
                worker.Join();
            }
        }

        _barrier.Dispose();
    }

    private void WorkerLoop(int index)
    {
        while (true)
        {
            _barrier.SignalAndWait();
            if (_stopping)
            {
                return;
            }

            _body!(index);
            _barrier.SignalAndWait();
        }
    }
}
