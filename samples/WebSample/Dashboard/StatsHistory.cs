using Dialogue.Caching;
using Microsoft.Extensions.Options;

namespace WebSample.Dashboard;

/// <summary>
/// Samples the cache's counters every <see cref="DashboardOptions.SampleInterval"/> on the <see cref="TimeProvider"/>
/// and keeps the last <see cref="DashboardOptions.HistoryLength"/> intervals, so every dashboard shows the same
/// history from its first poll, with rates measured on the server's clock.
/// </summary>
internal sealed class StatsHistory : BackgroundService
{
    private readonly IDialogueCache _cache;
    private readonly TimeProvider _clock;
    private readonly int _capacity;
    private readonly Queue<StatsSample> _samples;
    private readonly Lock _gate = new();
    private bool _hasBaseline;
    private long _lastHits;
    private long _lastMisses;
    private long _lastTimestamp;
    private PeriodicTimer? _timer;

    public StatsHistory(IDialogueCache cache, IOptions<DashboardOptions> options, TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(options);
        _cache = cache;
        _clock = clock;
        Interval = options.Value.SampleInterval;
        _capacity = options.Value.HistoryLength;
        _samples = new Queue<StatsSample>(_capacity);
    }

    /// <summary>The sampling interval.</summary>
    public TimeSpan Interval { get; }

    /// <summary>How many samples are kept.</summary>
    public int Capacity => _capacity;

    /// <summary>The samples held, oldest first.</summary>
    public IReadOnlyList<StatsSample> Snapshot()
    {
        lock (_gate)
        {
            return [.. _samples];
        }
    }

    /// <summary>Closes the current interval: the reads since the previous call (the first call only sets the baseline).</summary>
    public void Sample()
    {
        var analytics = _cache.Analytics();
        var now = _clock.GetTimestamp();
        var at = _clock.GetUtcNow();
        lock (_gate)
        {
            if (_hasBaseline)
            {
                var hits = analytics.Hits - _lastHits;
                var misses = analytics.Misses - _lastMisses;
                if (hits < 0 || misses < 0)
                {
                    // Clear() reset the counters in this interval: what they show now was counted since then.
                    hits = analytics.Hits;
                    misses = analytics.Misses;
                }

                var seconds = _clock.GetElapsedTime(_lastTimestamp, now).TotalSeconds;
                var reads = hits + misses;
                if (_samples.Count == _capacity)
                {
                    _samples.Dequeue();
                }

                _samples.Enqueue(new StatsSample(at, hits, misses,
                    seconds > 0 ? Math.Round(reads / seconds, 2) : 0,
                    reads > 0 ? (double)hits / reads : null,
                    analytics.CurrentSize));
            }

            _hasBaseline = true;
            _lastHits = analytics.Hits;
            _lastMisses = analytics.Misses;
            _lastTimestamp = now;
        }
    }

    /// <inheritdoc />
    public override Task StartAsync(CancellationToken cancellationToken)
    {
        // The baseline and the timer here, not in ExecuteAsync: that runs on the thread pool, so a timer made there
        // would start its first period at some later moment instead of when the host starts.
        Sample();
        _timer = new PeriodicTimer(Interval, _clock);
        return base.StartAsync(cancellationToken);
    }

    /// <inheritdoc />
    public override void Dispose()
    {
        _timer?.Dispose();
        base.Dispose();
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var timer = _timer!;
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
        {
            Sample();
        }
    }
}
