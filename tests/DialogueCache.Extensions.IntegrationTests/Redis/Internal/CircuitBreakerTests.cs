using Dialogue.Caching.Redis.Internal;
using Microsoft.Extensions.Time.Testing;

namespace Dialogue.Caching.IntegrationTests.Redis.Internal;

/// <summary>The breaker's states on a fake clock.</summary>
public sealed class CircuitBreakerTests
{
    private readonly FakeTimeProvider _clock = new();
    private readonly List<TimeSpan> _changes = [];
    private readonly CircuitBreaker _breaker;

    public CircuitBreakerTests()
    {
        _breaker = new CircuitBreaker(threshold: 3, TimeSpan.FromSeconds(5), _clock);
        _breaker.StateChanged += _changes.Add;
    }

    [Fact]
    public void RecordFailure_BelowThreshold_StaysClosed()
    {
        _breaker.RecordFailure();
        _breaker.RecordFailure();

        Assert.False(_breaker.IsOpen);
        Assert.True(_breaker.TryEnter());
        Assert.Empty(_changes);
    }

    [Fact]
    public void RecordFailure_SuccessInBetween_StartsCountingAgain()
    {
        _breaker.RecordFailure();
        _breaker.RecordFailure();
        _breaker.RecordSuccess();
        _breaker.RecordFailure();
        _breaker.RecordFailure();

        Assert.False(_breaker.IsOpen);
    }

    [Fact]
    public void RecordFailure_AtThreshold_OpensAndRefusesUntilTheBreakIsOver()
    {
        Fail(3);

        Assert.True(_breaker.IsOpen);
        Assert.False(_breaker.TryEnter());
        _clock.Advance(TimeSpan.FromSeconds(4.9));
        Assert.False(_breaker.TryEnter());
        Assert.Equal([TimeSpan.FromSeconds(5)], _changes);
    }

    [Fact]
    public void TryEnter_BreakOver_LetsExactlyOneProbeThrough()
    {
        Fail(3);
        _clock.Advance(TimeSpan.FromSeconds(5));

        Assert.True(_breaker.TryEnter());
        Assert.False(_breaker.TryEnter());
    }

    [Fact]
    public void RecordSuccess_AfterProbe_Closes()
    {
        Fail(3);
        _clock.Advance(TimeSpan.FromSeconds(5));
        Assert.True(_breaker.TryEnter());

        _breaker.RecordSuccess();

        Assert.False(_breaker.IsOpen);
        Assert.True(_breaker.TryEnter());
        Assert.Equal([TimeSpan.FromSeconds(5), TimeSpan.Zero], _changes);
    }

    [Fact]
    public void RecordFailure_OfProbe_OpensForAnotherBreak()
    {
        Fail(3);
        _clock.Advance(TimeSpan.FromSeconds(5));
        Assert.True(_breaker.TryEnter());

        _breaker.RecordFailure();

        Assert.False(_breaker.TryEnter());
        _clock.Advance(TimeSpan.FromSeconds(5));
        Assert.True(_breaker.TryEnter());
    }

    [Fact]
    public void TryEnter_ProbeNeverReported_AnotherProbeAfterAnotherBreak()
    {
        Fail(3);
        _clock.Advance(TimeSpan.FromSeconds(5));
        Assert.True(_breaker.TryEnter());

        _clock.Advance(TimeSpan.FromSeconds(5));

        Assert.True(_breaker.TryEnter());
    }

    [Fact]
    public void Trip_OpensAtOnceAndResetClosesAtOnce()
    {
        _breaker.Trip();
        Assert.False(_breaker.TryEnter());

        _breaker.Reset();

        Assert.True(_breaker.TryEnter());
        Assert.Equal([TimeSpan.FromSeconds(5), TimeSpan.Zero], _changes);
    }

    private void Fail(int times)
    {
        for (var i = 0; i < times; i++)
        {
            _breaker.RecordFailure();
        }
    }
}
