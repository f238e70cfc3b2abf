using Dialogue.Caching.Engine;
using Microsoft.Extensions.Time.Testing;

namespace Dialogue.Caching.Tests.Engine;

public sealed class CacheClockTests
{
    [Fact]
    public void Now_FakeTimeProvider_MovesExactlyWithAdvance()
    {
        var time = new FakeTimeProvider();
        var clock = new CacheClock(time);
        var before = clock.Now;

        time.Advance(TimeSpan.FromTicks(12_345));

        Assert.Equal(12_345, clock.Now - before);
    }

    [Fact]
    public void Now_SystemClock_IsMonotonic()
    {
        var clock = new CacheClock(TimeProvider.System);
        var first = clock.Now;
        var second = clock.Now;

        Assert.True(second >= first);
    }

    [Fact]
    public void ExpiryFor_HugeTtl_Saturates()
    {
        var clock = new CacheClock(new FakeTimeProvider());

        Assert.Equal(long.MaxValue, clock.ExpiryFor(TimeSpan.MaxValue));
    }

    [Fact]
    public void Remaining_PastExpiry_IsZero()
    {
        var time = new FakeTimeProvider();
        var clock = new CacheClock(time);
        var expiry = clock.ExpiryFor(TimeSpan.FromSeconds(5));

        Assert.Equal(TimeSpan.FromSeconds(5), clock.Remaining(expiry));
        time.Advance(TimeSpan.FromSeconds(6));
        Assert.Equal(TimeSpan.Zero, clock.Remaining(expiry));
    }
}
