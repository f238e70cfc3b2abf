namespace Dialogue.Caching.Internal;

/// <summary>
/// Lets one error log line through per interval and counts the ones held back, so a store that is down
/// does not flood the log with one line per request.
/// </summary>
internal sealed class ErrorLogThrottle(TimeProvider timeProvider, TimeSpan interval)
{
    private readonly Lock _sync = new();
    private long _nextAllowed = long.MinValue;
    private int _suppressed;

    /// <summary>True when this error should be logged; <paramref name="suppressed"/> is how many were held back since the last one.</summary>
    public bool ShouldLog(out int suppressed)
    {
        var now = timeProvider.GetTimestamp();
        lock (_sync)
        {
            if (now < _nextAllowed)
            {
                _suppressed++;
                suppressed = 0;
                return false;
            }

            _nextAllowed = now + (long)(interval.TotalSeconds * timeProvider.TimestampFrequency);
            suppressed = _suppressed;
            _suppressed = 0;
            return true;
        }
    }
}
