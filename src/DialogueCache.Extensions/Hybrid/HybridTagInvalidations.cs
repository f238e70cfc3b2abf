using System.Collections.Concurrent;

namespace Dialogue.Caching.Hybrid;

/// <summary>
/// Remembers when each tag (and the wildcard) was invalidated, and stamps entries as they are created, so an
/// entry is current when it was created after every invalidation of its tags. Stamps are UTC ticks made strictly
/// increasing: of an invalidation and a write in the same clock tick, the one that came first is older, so an
/// entry written just after <c>RemoveByTagAsync</c> is kept and one written just before is not.
/// </summary>
/// <remarks>In-process state: invalidations reach neither other processes nor the next start of this one.</remarks>
internal sealed class HybridTagInvalidations
{
    private readonly ConcurrentDictionary<string, long> _tags = new(StringComparer.Ordinal);
    private long _wildcard = long.MinValue;
    private long _lastStamp = long.MinValue;

    /// <summary>The creation stamp of an entry written now.</summary>
    public long Stamp(DateTimeOffset utcNow)
    {
        var now = utcNow.UtcTicks;
        var last = Volatile.Read(ref _lastStamp);
        while (true)
        {
            var next = Math.Max(now, last + 1);
            var seen = Interlocked.CompareExchange(ref _lastStamp, next, last);
            if (seen == last)
            {
                return next;
            }

            last = seen;
        }
    }

    /// <summary>Makes every entry created so far with <paramref name="tag"/> (every entry for <c>"*"</c>) stale.</summary>
    public void Invalidate(string tag, DateTimeOffset utcNow)
    {
        var at = Stamp(utcNow);
        if (tag != HybridTags.Wildcard)
        {
            _tags.AddOrUpdate(tag, at, (_, previous) => Math.Max(previous, at));
            return;
        }

        var wildcard = Volatile.Read(ref _wildcard);
        while (wildcard < at)
        {
            var seen = Interlocked.CompareExchange(ref _wildcard, at, wildcard);
            if (seen == wildcard)
            {
                break;
            }

            wildcard = seen;
        }

        // Tag invalidations older than the wildcard decide nothing any more: every entry they would stale is
        // stale already. Dropping them keeps the map from growing without bound.
        foreach (var pair in _tags)
        {
            if (pair.Value <= at)
            {
                _tags.TryRemove(pair);
            }
        }
    }

    /// <summary>True when an entry created at <paramref name="created"/> with <paramref name="tags"/> is still current.</summary>
    public bool IsCurrent(long created, string[] tags)
    {
        if (created <= Volatile.Read(ref _wildcard))
        {
            return false;
        }

        if (tags.Length == 0 || _tags.IsEmpty)
        {
            return true;
        }

        foreach (var tag in tags)
        {
            if (_tags.TryGetValue(tag, out var invalidated) && created <= invalidated)
            {
                return false;
            }
        }

        return true;
    }
}
