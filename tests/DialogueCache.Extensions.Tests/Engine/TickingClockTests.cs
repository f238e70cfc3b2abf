using Dialogue.Caching.Engine;

namespace Dialogue.Caching.Tests.Engine;

/// <summary>The in-memory clock: refreshed by ticks, parked when unread, woken by the next read, never going back.</summary>
public sealed class TickingClockTests
{
    private long _source = 1_000;

    [Fact]
    public void Now_AfterTick_IsTheSourcesValue()
    {
        var clock = NewClock();
        _ = clock.Now;

        _source = 2_000;
        Assert.Equal(1_000, clock.Now);
        clock.Tick();

        Assert.Equal(2_000, clock.Now);
    }

    [Fact]
    public void Tick_UnreadForTheIdleLimit_Parks()
    {
        var clock = NewClock();
        _ = clock.Now;

        var ticking = Enumerable.Range(0, TickingClock.IdleTicksBeforeParking + 1).Select(_ => clock.Tick()).ToList();

        Assert.All(ticking.SkipLast(1), Assert.True);
        Assert.False(ticking[^1]);
        Assert.True(clock.IsParked);
    }

    [Fact]
    public void Tick_ReadBetweenTicks_NeverParks()
    {
        var clock = NewClock();

        for (var i = 0; i < 3 * TickingClock.IdleTicksBeforeParking; i++)
        {
            _ = clock.Now;
            Assert.True(clock.Tick());
        }

        Assert.False(clock.IsParked);
    }

    [Fact]
    public void Now_WhileParked_ReadsTheSourceAndUnparks()
    {
        var clock = NewClock();
        _ = clock.Now;
        while (clock.Tick())
        {
        }

        _source = 5_000;

        Assert.Equal(5_000, clock.Now);
        Assert.False(clock.IsParked);
        Assert.True(clock.Tick());
    }

    [Fact]
    public void Now_SourceGoesBack_StaysWhereItWas()
    {
        var clock = NewClock();
        _source = 3_000;
        clock.Tick();

        _source = 2_000;
        clock.Tick();

        Assert.Equal(3_000, clock.Now);
    }

    [Fact]
    public void System_ReadTwice_IsMonotonicAndNearTheTickCount()
    {
        var first = TickingClock.System.Now;
        var second = TickingClock.System.Now;
        var reference = Environment.TickCount64 * TimeSpan.TicksPerMillisecond;

        Assert.True(second >= first);
        Assert.InRange(reference - second, 0, TimeSpan.TicksPerSecond);
    }

    private TickingClock NewClock() => new(() => _source, ownsThread: false);
}
