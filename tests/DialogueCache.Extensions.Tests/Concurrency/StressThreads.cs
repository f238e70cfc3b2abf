using System.Collections.Concurrent;

namespace Dialogue.Caching.Tests.Concurrency;

/// <summary>
/// Runs a body on dedicated threads that start together. Dedicated threads (not pool tasks) because the bodies
/// block: on barriers, on coalesced <c>GetOrCreateAsync</c> calls and on synchronous store reads (SQLite, Redis),
/// whose completions need free pool threads. Shared with the integration tests (linked into that project).
/// </summary>
internal static class StressThreads
{
    // Generous: a store round trip on a loaded 2-core machine can take a while; only a deadlock takes this long.
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    /// <summary>Runs <paramref name="body"/>(index) on <paramref name="count"/> threads; returns what they threw.</summary>
    public static IReadOnlyList<Exception> Run(int count, Action<int> body)
    {
        var errors = new ConcurrentQueue<Exception>();
        using var start = new ManualResetEventSlim();
        var threads = Enumerable.Range(0, count).Select(index => new Thread(() =>
        {
            start.Wait();
            try
            {
                body(index);
            }
            catch (Exception exception)
            {
                errors.Enqueue(exception);
            }
        })
        {
            IsBackground = true,
            Name = $"stress-{index}",
        }).ToList();

        threads.ForEach(t => t.Start());
        start.Set();

        // A deadlock must fail the test, not hang the run.
        foreach (var thread in threads)
        {
            Assert.True(thread.Join(Deadline), $"{thread.Name} did not finish within {Deadline.TotalSeconds} s (deadlock?)");
        }

        return [.. errors];
    }

    /// <summary>An assertion message listing the distinct exceptions (type, message, first frames), most frequent first.</summary>
    public static string Describe(IEnumerable<Exception> errors) => string.Join(Environment.NewLine, errors
        .GroupBy(e => $"{e.GetType().Name}: {e.Message}{Environment.NewLine}{string.Join(Environment.NewLine, (e.StackTrace ?? "").Split('\n').Take(6))}")
        .OrderByDescending(g => g.Count())
        .Select(g => $"{g.Count()} x {g.Key}"));
}
