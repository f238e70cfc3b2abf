using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Dialogue.Caching.Sqlite;
using Microsoft.Extensions.Logging;

namespace Dialogue.Caching.IntegrationTests.Sqlite;

/// <summary>
/// Stands for user code the store reaches: a logging provider and a meter listener (on <c>cache.store.errors</c> of
/// one cache). Each call checks whether the calling thread holds one of the store's locks at that moment, and
/// remembers the calls that did (with where they came from).
/// </summary>
internal sealed class UserCodeProbe : ILoggerProvider, ILogger
{
    private readonly string _cacheName;
    private readonly MeterListener _listener = new();
    private readonly ConcurrentQueue<string> _underLock = new();
    private int _logCalls;
    private int _errorMeasurements;

    public UserCodeProbe(string cacheName)
    {
        _cacheName = cacheName;
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == DialogueCache.MeterName && instrument.Name == "cache.store.errors")
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((_, _, tags, _) =>
        {
            foreach (var tag in tags)
            {
                if (tag.Key == "cache.name" && Equals(tag.Value, _cacheName))
                {
                    Interlocked.Increment(ref _errorMeasurements);
                    Check("meter listener");
                }
            }
        });
        _listener.Start();
    }

    /// <summary>The store whose locks are checked; set once it exists.</summary>
    public SqliteDialogueCacheStore? Store { get; set; }

    /// <summary>Log calls seen (every category, every level).</summary>
    public int LogCalls => Volatile.Read(ref _logCalls);

    /// <summary><c>cache.store.errors</c> measurements of the cache seen.</summary>
    public int ErrorMeasurements => Volatile.Read(ref _errorMeasurements);

    /// <summary>The calls made while the calling thread held a store lock, with their stack.</summary>
    public IReadOnlyCollection<string> CalledUnderLock => _underLock;

    public ILogger CreateLogger(string categoryName) => this;

    public void Dispose() => _listener.Dispose();

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        Interlocked.Increment(ref _logCalls);
        Check($"logging provider (event {eventId.Id})");
    }

    private void Check(string what)
    {
        if (Store?.HoldsLockOnCurrentThread == true)
        {
            _underLock.Enqueue($"{what} called under a store lock at {Environment.StackTrace}");
        }
    }
}
