using System.Runtime.CompilerServices;

namespace Dialogue.Caching.Engine;

/// <summary>
/// A monotonic clock in <see cref="TimeSpan"/> ticks for expiration checks.
/// </summary>
/// <remarks>
/// Every read checks an expiry, so the clock sits on the hot path. For the system clock we read
/// <see cref="TickingClock.System"/>: <see cref="Environment.TickCount64"/> (a coarse monotonic clock) kept in memory
/// by a background refresher, a memory read instead of a clock call; a TTL is seconds long, so millisecond
/// resolution loses nothing. Any other <see cref="TimeProvider"/> (a FakeTimeProvider in tests) is asked for its
/// timestamp, so advancing it moves expirations exactly.
/// </remarks>
internal sealed class CacheClock
{
    private readonly TimeProvider _timeProvider;
    private readonly bool _isSystem;
    private readonly long _frequency;

    public CacheClock(TimeProvider timeProvider)
    {
        _timeProvider = timeProvider;
        _isSystem = ReferenceEquals(timeProvider, TimeProvider.System);
        _frequency = timeProvider.TimestampFrequency;
    }

    public TimeProvider TimeProvider => _timeProvider;

    /// <summary>Now, in ticks on this clock's own monotonic scale (not a date).</summary>
    public long Now
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => _isSystem ? TickingClock.System.Now : ToTicks(_timeProvider.GetTimestamp());
    }

    /// <summary>The tick at which something that lives <paramref name="ttl"/> from now expires; saturates instead of overflowing.</summary>
    public long ExpiryFor(TimeSpan ttl) => SaturatingAdd(Now, ttl.Ticks);

    /// <summary>How long from now until <paramref name="expiresAt"/>; zero when already past.</summary>
    public TimeSpan Remaining(long expiresAt)
    {
        var remaining = expiresAt - Now;
        return remaining > 0 ? TimeSpan.FromTicks(remaining) : TimeSpan.Zero;
    }

    internal static long SaturatingAdd(long now, long ticks) => ticks > long.MaxValue - now ? long.MaxValue : now + ticks;

    // Split the multiplication so large timestamps (FakeTimeProvider's are DateTime ticks) do not overflow.
    private long ToTicks(long timestamp) => _frequency == TimeSpan.TicksPerSecond
        ? timestamp
        : (timestamp / _frequency * TimeSpan.TicksPerSecond) + (timestamp % _frequency * TimeSpan.TicksPerSecond / _frequency);
}
