using Dialogue.Caching.Analytics;
using Dialogue.Caching.Engine;
using Dialogue.Caching.Internal;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Logging;

namespace Dialogue.Caching.Faces;

/// <summary>
/// Receives the engine's removals after its lock is released: counts them in the metrics, and calls the
/// removed entries' <see cref="PostEvictionCallbackRegistration"/>s on the thread pool (as MemoryCache does, so a
/// slow or throwing callback never delays or breaks the operation that removed the entry).
/// </summary>
internal sealed class EvictionCallbackDispatcher(CacheMetrics metrics, ILogger logger, string cacheName) : IRemovalObserver
{
    public void OnRemoved(in RemovalTally tally)
    {
        metrics.OnRemoved(tally);
        if (tally.Notifications is { } notifications)
        {
            ThreadPool.UnsafeQueueUserWorkItem(Notify, notifications, preferLocal: false);
        }
    }

    /// <summary>Calls the callbacks of an entry that was never stored (already expired when set).</summary>
    public void NotifyNotStored(object key, object? value, IReadOnlyList<PostEvictionCallbackRegistration>? callbacks, EvictionReason reason)
    {
        if (callbacks is { Count: > 0 })
        {
            ThreadPool.UnsafeQueueUserWorkItem(_ => Invoke(key, value, reason, callbacks), null);
        }
    }

    private static EvictionReason ReasonOf(RemovalCause cause) => cause switch
    {
        RemovalCause.Capacity => EvictionReason.Capacity,
        RemovalCause.Expired => EvictionReason.Expired,
        RemovalCause.TokenExpired => EvictionReason.TokenExpired,
        RemovalCause.Replaced => EvictionReason.Replaced,
        _ => EvictionReason.Removed,
    };

    private void Notify(List<(CacheNode Node, RemovalCause Cause)> notifications)
    {
        foreach (var (node, cause) in notifications)
        {
            node.Options!.ReleaseTokenRegistrations();
            if (node.Options.Callbacks is { } callbacks)
            {
                Invoke(node.Key, node.Value, ReasonOf(cause), callbacks);
            }
        }
    }

    private void Invoke(object key, object? value, EvictionReason reason, IReadOnlyList<PostEvictionCallbackRegistration> callbacks)
    {
        foreach (var registration in callbacks)
        {
            try
            {
                registration.EvictionCallback?.Invoke(key, value, reason, registration.State);
            }
            catch (Exception exception)
            {
                // One failing callback must not keep the others from running.
                Log.EvictionCallbackFailed(logger, cacheName, exception);
            }
        }
    }
}
