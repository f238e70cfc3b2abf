using Microsoft.Extensions.Logging;

namespace Dialogue.Caching.Sqlite.Internal;

/// <summary>
/// Failures and log lines that arise while the store holds one of its locks, kept in order and delivered once the
/// lock is released. <see cref="IDialogueCacheStoreHost.ReportError"/> reaches meter listeners and logging
/// providers, and the store's own log lines reach logging providers: user code, which must never run under a store
/// lock (a slow log sink would stall every writer, and a listener calling back into the cache could deadlock).
/// </summary>
/// <remarks>
/// A mutable struct passed by reference down the locked call chain: nothing is allocated unless something is
/// reported. Owned by one thread, the one that holds the lock.
/// </remarks>
internal struct DeferredReports
{
    private List<(string? Operation, Exception? Exception, Action<ILogger>? Write)>? _reports;

    /// <summary>True when nothing waits to be delivered.</summary>
    public readonly bool IsEmpty => _reports is not { Count: > 0 };

    /// <summary>Keeps a failure for <see cref="IDialogueCacheStoreHost.ReportError"/>.</summary>
    public void Error(string operation, Exception exception) => (_reports ??= []).Add((operation, exception, null));

    /// <summary>Keeps a log line (one of <see cref="Log"/>'s methods, bound to its arguments).</summary>
    public void Log(Action<ILogger> write) => (_reports ??= []).Add((null, null, write));

    /// <summary>
    /// Delivers what was kept, in order, and forgets it. Call it with no store lock held. Never throws: a host
    /// never throws from <see cref="IDialogueCacheStoreHost.ReportError"/>, and a logging provider that throws
    /// must not turn a soft store failure into a failed cache call.
    /// </summary>
    public void Deliver(IDialogueCacheStoreHost? host, ILogger logger)
    {
        if (_reports is not { Count: > 0 } reports)
        {
            return;
        }

        _reports = null;
        foreach (var report in reports)
        {
            try
            {
                if (report.Write is { } write)
                {
                    write(logger);
                }
                else
                {
                    host?.ReportError(report.Operation!, report.Exception!);
                }
            }
            catch (Exception)
            {
                // A failing logging provider or meter listener: the store's failure stays soft.
            }
        }
    }
}
