namespace Dialogue.Caching.IntegrationTests.Redis.Support;

/// <summary>
/// Gives the thread pool room for what these tests do on purpose: block pool threads on synchronous cache reads
/// that wait for a server (up to the operation timeout while a fault is played), while the embedded Garnet
/// server and the client's own completions also run on the pool. On a 2-core machine the pool starts with 2
/// threads and adds one every half second, which would turn every short timeout into a starvation artefact.
/// </summary>
internal static class TestThreadPool
{
    public static void EnsureHeadroom()
    {
        ThreadPool.GetMinThreads(out var workers, out var io);
        if (workers < 64 || io < 64)
        {
            ThreadPool.SetMinThreads(Math.Max(workers, 64), Math.Max(io, 64));
        }
    }
}
