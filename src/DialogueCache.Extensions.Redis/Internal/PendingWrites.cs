using System.Collections.Concurrent;

namespace Dialogue.Caching.Redis.Internal;

/// <summary>Writes sent to Redis whose outcome is not known yet, so a flush can wait for them.</summary>
internal sealed class PendingWrites
{
    private readonly ConcurrentDictionary<long, Task> _tasks = new();
    private long _next;

    public int Count => _tasks.Count;

    /// <summary>Tracks a write; <paramref name="write"/> never faults (it reports its own errors).</summary>
    public void Track(Task write)
    {
        if (write.IsCompleted)
        {
            return;
        }

        var id = Interlocked.Increment(ref _next);
        _tasks[id] = write;
        _ = ForgetWhenDoneAsync(id, write);
    }

    /// <summary>Completes when every write tracked so far has completed.</summary>
    public Task WhenAllAsync() => _tasks.IsEmpty ? Task.CompletedTask : Task.WhenAll(_tasks.Values);

    private async Task ForgetWhenDoneAsync(long id, Task write)
    {
        await write.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _tasks.TryRemove(id, out _);
    }
}
