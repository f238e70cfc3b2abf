namespace Dialogue.Caching.Redis.Internal;

/// <summary>
/// Stops calling a server that keeps failing, so requests do not each pay a timeout while it is down.
/// </summary>
/// <remarks>
/// <para>Closed: calls go through; <c>threshold</c> failures in a row open the breaker. Open: calls are refused
/// at once for <c>breakDuration</c>. Then one call goes through as a probe (half-open): its success closes the
/// breaker, its failure opens it again. A probe that never reports back is replaced after another
/// <c>breakDuration</c>.</para>
/// <para>All timing is on the <see cref="TimeProvider"/>, so tests drive it with a fake clock.</para>
/// </remarks>
internal sealed class CircuitBreaker(int threshold, TimeSpan breakDuration, TimeProvider timeProvider)
{
    private const int Closed = 0;
    private const int Open = 1;
    private const int HalfOpen = 2;

    private readonly Lock _sync = new();
    private readonly long _breakTicks = (long)(breakDuration.TotalSeconds * timeProvider.TimestampFrequency);
    private int _state;
    private int _failures;
    private long _retryAt;

    /// <summary>True while calls are refused (open, or half-open with a probe in flight).</summary>
    public bool IsOpen => Volatile.Read(ref _state) != Closed;

    /// <summary>When the breaker opens (argument: how long it stays open) or closes (argument: zero).</summary>
    public event Action<TimeSpan>? StateChanged;

    /// <summary>True when a call may go to the server now.</summary>
    public bool TryEnter()
    {
        if (Volatile.Read(ref _state) == Closed)
        {
            return true;
        }

        lock (_sync)
        {
            if (_state == Closed)
            {
                return true;
            }

            var now = timeProvider.GetTimestamp();
            if (now < _retryAt)
            {
                return false;
            }

            // This caller is the probe; the next one waits for its result (or for another break).
            _state = HalfOpen;
            _retryAt = now + _breakTicks;
            return true;
        }
    }

    /// <summary>A call reached the server.</summary>
    public void RecordSuccess()
    {
        if (Volatile.Read(ref _state) == Closed && Volatile.Read(ref _failures) == 0)
        {
            return;
        }

        bool closed;
        lock (_sync)
        {
            _failures = 0;
            closed = _state != Closed;
            _state = Closed;
        }

        if (closed)
        {
            StateChanged?.Invoke(TimeSpan.Zero);
        }
    }

    /// <summary>A call failed (unreachable, timed out, refused).</summary>
    public void RecordFailure()
    {
        bool opened;
        lock (_sync)
        {
            _failures++;
            opened = _state == HalfOpen || (_state == Closed && _failures >= threshold);
            if (opened)
            {
                _state = Open;
                _retryAt = timeProvider.GetTimestamp() + _breakTicks;
            }
        }

        if (opened)
        {
            StateChanged?.Invoke(breakDuration);
        }
    }

    /// <summary>Opens the breaker now (the connection is known to be lost).</summary>
    public void Trip()
    {
        bool opened;
        lock (_sync)
        {
            opened = _state == Closed;
            _state = Open;
            _retryAt = timeProvider.GetTimestamp() + _breakTicks;
        }

        if (opened)
        {
            StateChanged?.Invoke(breakDuration);
        }
    }

    /// <summary>Closes the breaker now (the connection is known to be back).</summary>
    public void Reset() => RecordSuccess();
}
