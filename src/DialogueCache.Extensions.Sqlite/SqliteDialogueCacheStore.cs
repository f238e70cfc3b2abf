using System.Collections.Concurrent;
using System.Threading.Channels;
using Dialogue.Caching.Sqlite.Internal;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Dialogue.Caching.Sqlite;

/// <summary>
/// A persistent second tier: the cache's entries in a SQLite file (WAL mode), written behind in batches or
/// through, loaded back at startup (warm restart), and bounded in size. Register it with
/// <c>services.AddDialogueCache().AddSqliteStore("Data Source=dialogue-cache.db")</c>, or pass it to
/// <see cref="DialogueCache(DialogueCacheOptions, IDialogueCacheStore?, TimeProvider?, ILoggerFactory?, System.Diagnostics.Metrics.IMeterFactory?)"/>
/// and call <see cref="StartAsync"/> yourself.
/// </summary>
/// <remarks>
/// <para>Faults never reach the cache's callers: a failed read returns null and a failed write is dropped, both
/// reported to the cache (<c>cache.store.errors</c>) while the memory tier keeps serving. A file that is not a
/// readable SQLite database is moved aside (renamed with a timestamp, never deleted) and the store starts empty.
/// A file of another application or of a newer schema is refused: <see cref="StartAsync"/> throws.</para>
/// <para>Several processes may share one file (SQLite's locking, <see cref="SqliteStoreOptions.BusyTimeout"/>);
/// several caches may share one file too, each keeping to its own rows.</para>
/// </remarks>
public sealed partial class SqliteDialogueCacheStore : IDialogueCacheStore, IAsyncDisposable, IDisposable
{
    /// <summary>Rows written per transaction when the queue is flushed.</summary>
    internal const int MaxBatchSize = 512;

    /// <summary>How long the store waits before it tries again to open a file it could not open.</summary>
    internal static readonly TimeSpan ReopenDelay = TimeSpan.FromSeconds(5);

    private readonly SqliteConnectionFactory _connections;
    private readonly SqliteWriteMode _writeMode;
    private readonly TimeSpan _flushInterval;
    private readonly TimeSpan _cleanupInterval;
    private readonly int _maxQueueLength;
    private readonly int? _maxRowsOption;
    private readonly ILogger _logger;
    private readonly Channel<PendingWrite> _queue;
    private readonly ConcurrentDictionary<string, PendingSet> _pending = new(StringComparer.Ordinal);
    private readonly List<Invalidation> _unapplied = [];
    private readonly Lock _writeLock = new();
    private readonly Lock _openLock = new();
    private readonly CancellationTokenSource _stopping = new();
    private IDialogueCacheStoreHost? _host;
    private SqliteEntryTable? _table;
    private InvalidOperationException? _refusal;
    private Exception? _openFailure;
    private long _nextOpenAttempt;
    private long _maxRows;
    private long _rowEstimate;
    private long _lastStamp;
    private PeriodicTimer? _flushTimer;
    private PeriodicTimer? _cleanupTimer;
    private Task _flushLoop = Task.CompletedTask;
    private Task _cleanupLoop = Task.CompletedTask;
    private TaskCompletionSource _loopFlushed = NewSignal();
    private TaskCompletionSource _cleanedUp = NewSignal();
    private int _disposed;
    private bool _closed;
    private bool _readsSuspended;

    /// <summary>Creates a store for the file named by <paramref name="connectionString"/>; nothing is opened until the store is used or started.</summary>
    /// <param name="connectionString">
    /// A Microsoft.Data.Sqlite connection string naming a file, e.g. <c>"Data Source=dialogue-cache.db"</c>
    /// (a relative path is relative to the current directory). <c>Mode=ReadOnly</c> serves reads and fails writes softly.
    /// </param>
    /// <param name="options">The settings; the defaults when null. Copied: later changes have no effect.</param>
    /// <param name="loggerFactory">Where the store logs (opening, a file moved aside or refused); nothing is logged when null.</param>
    /// <exception cref="ArgumentException">The connection string is empty, malformed or names no file, or an option is out of range (the message names it).</exception>
    public SqliteDialogueCacheStore(string connectionString, SqliteStoreOptions? options = null, ILoggerFactory? loggerFactory = null)
    {
        SqliteConnectionStrings.ValidateFile(connectionString, nameof(connectionString));
        options ??= new SqliteStoreOptions();
        SqliteStoreOptionsValidator.ThrowIfInvalid(options, nameof(options));
        _writeMode = options.WriteMode;
        _flushInterval = options.FlushInterval;
        _cleanupInterval = options.CleanupInterval;
        _maxQueueLength = options.MaxQueueLength;
        _maxRowsOption = options.MaxRows;
        _connections = new SqliteConnectionFactory(connectionString, options.BusyTimeout, durableCommits: _writeMode == SqliteWriteMode.WriteThrough);
        _logger = (ILogger?)loggerFactory?.CreateLogger<SqliteDialogueCacheStore>() ?? NullLogger.Instance;
        _queue = Channel.CreateBounded<PendingWrite>(new BoundedChannelOptions(_maxQueueLength)
        {
            FullMode = BoundedChannelFullMode.Wait, // TryWrite answers false when full; the writer then flushes.
            SingleReader = false,
            SingleWriter = false,
        });
    }

    /// <summary>The full path of the database file.</summary>
    public string Path => _connections.Path;

    /// <summary>Runs on every connection the store opens, after its own settings (tests inject faults with it).</summary>
    internal Action<SqliteConnection>? ConnectionOpened
    {
        get => _connections.Opened;
        set => _connections.Opened = value;
    }

    /// <summary>Rows this store believes the file holds for its cache (exact for a single process).</summary>
    internal long RowEstimate => Interlocked.Read(ref _rowEstimate);

    /// <summary>The most rows kept for this cache: <see cref="SqliteStoreOptions.MaxRows"/> or 10 × the cache's MaxSize.</summary>
    internal long MaxRows => Interlocked.Read(ref _maxRows);

    /// <summary>True when the calling thread holds one of the store's locks (tests check that no user code runs under them).</summary>
    internal bool HoldsLockOnCurrentThread => _writeLock.IsHeldByCurrentThread || _openLock.IsHeldByCurrentThread;

    private IDialogueCacheStoreHost Host => _host ?? throw new InvalidOperationException(
        "The SQLite store is not attached to a cache: pass it to a DialogueCache (or register it with AddSqliteStore) before using it.");

    /// <inheritdoc />
    public void Attach(IDialogueCacheStoreHost host)
    {
        ArgumentNullException.ThrowIfNull(host);
        if (Interlocked.CompareExchange(ref _host, host, null) is not null)
        {
            throw new InvalidOperationException("This SQLite store already serves a cache; give each cache a store of its own.");
        }

        _maxRows = _maxRowsOption ?? (long)Math.Min(int.MaxValue, 10L * host.MaxSize);
    }

    /// <summary>
    /// Opens the file (moving a corrupt one aside), loads the live entries most recently used first, up to the
    /// cache's MaxSize, into the memory tier, and starts the background flush and cleanup. The hosted service
    /// calls this while the host starts. An I/O failure is reported to the cache and the store starts empty.
    /// </summary>
    /// <param name="cancellationToken">Aborts the start.</param>
    /// <returns>A task that completes when the entries are loaded.</returns>
    /// <exception cref="InvalidOperationException">The file belongs to another application or has a newer schema (the message says which and what to do), or the store is not attached.</exception>
    public Task StartAsync(CancellationToken cancellationToken)
    {
        var host = Host;
        cancellationToken.ThrowIfCancellationRequested();
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        var table = GetTable("start");
        if (table is null)
        {
            // Refused: a deployment problem to see at once, not a store to silently run without.
            return _refusal is { } refusal ? Task.FromException(refusal) : Task.CompletedTask;
        }

        List<DialogueCacheStoreEntry> entries;
        try
        {
            entries = table.LoadMostRecent(NowMilliseconds(), host.MaxSize);
        }
        catch (Exception exception)
        {
            host.ReportError("load", exception);
            return Task.CompletedTask;
        }

        cancellationToken.ThrowIfCancellationRequested();
        entries.Reverse(); // Load wants the most recently used last.
        host.Load(entries);
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public DialogueCacheStoreEntry? Get(string key)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        var host = Host;
        var now = host.TimeProvider.GetUtcNow();
        if (_pending.TryGetValue(key, out var pending))
        {
            // Written behind but not flushed yet: the file still holds the older row, if any.
            return pending.Entry.ExpiresAt > now ? pending.Entry : null;
        }

        if (Volatile.Read(ref _readsSuspended))
        {
            // A removal or write did not reach the file yet: it may still hold what the cache removed or replaced.
            return null;
        }

        var table = GetTable("get");
        if (table is null)
        {
            return null;
        }

        (object Value, long ExpiresAt)? row;
        try
        {
            row = table.Lookup(key);
        }
        catch (Exception exception)
        {
            host.ReportError("get", exception);
            return null;
        }

        if (row is not { } found || found.ExpiresAt <= UnixTime.ToMilliseconds(now) || found.Value is not (string or byte[]))
        {
            return null;
        }

        EnqueueTouch(key);
        return new DialogueCacheStoreEntry(key, found.Value, UnixTime.ToDateTimeOffset(found.ExpiresAt));
    }

    /// <inheritdoc />
    public ValueTask<DialogueCacheStoreEntry?> GetAsync(string key, CancellationToken cancellationToken)
    {
        // Microsoft.Data.Sqlite runs statements synchronously anyway, and a lookup by primary key takes microseconds.
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult(Get(key));
    }

    /// <inheritdoc />
    public void Set(DialogueCacheStoreEntry entry)
    {
        ArgumentException.ThrowIfNullOrEmpty(entry.Key, nameof(entry));
        if (entry.Value is not (string or byte[]))
        {
            throw new ArgumentException("The entry's value must be a string or a byte array.", nameof(entry));
        }

        _ = Host;
        if (IsDisposed("set"))
        {
            return;
        }

        var write = new PendingSet(entry, NextStamp());
        var reports = default(DeferredReports);
        if (_writeMode == SqliteWriteMode.WriteThrough)
        {
            lock (_writeLock)
            {
                WriteNow(write, "set", ref reports);
            }

            reports.Deliver(_host, _logger);
            return;
        }

        if (Volatile.Read(ref _table) is null)
        {
            // The first use opens the file and starts the background flush (reported if it cannot).
            GetTable("set");
        }

        _pending[entry.Key] = write;
        if (_queue.Writer.TryWrite(write))
        {
            return;
        }

        // The queue is full: this writer flushes it (bounded memory, nothing dropped), then queues its entry.
        lock (_writeLock)
        {
            FlushLocked("set", int.MaxValue, used: null, ref reports);
            if (!_queue.Writer.TryWrite(write))
            {
                WriteNow(write, "set", ref reports);
            }
        }

        reports.Deliver(_host, _logger);
    }

    /// <inheritdoc />
    public void Remove(string key)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        Invalidate(InvalidationKind.Key, key);
    }

    /// <inheritdoc />
    public void RemoveContaining(string pattern)
    {
        ArgumentException.ThrowIfNullOrEmpty(pattern);
        Invalidate(InvalidationKind.Containing, pattern);
    }

    /// <inheritdoc />
    public void Clear() => Invalidate(InvalidationKind.All, string.Empty);

    /// <inheritdoc />
    public Task FlushAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        _ = Host;
        if (Volatile.Read(ref _disposed) != 0)
        {
            return Task.CompletedTask;
        }

        Flush("flush", queued: true);
        return Task.CompletedTask;
    }

    /// <summary>Flushes pending writes, stops the background work and closes the file. The cache keeps serving from memory.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _queue.Writer.TryComplete();
        _stopping.Cancel();
        lock (_openLock)
        {
            _flushTimer?.Dispose();
            _cleanupTimer?.Dispose();
        }

        // Asked before the lock, as every flush does: the recency of what memory served since the last flush.
        var used = Volatile.Read(ref _table) is null ? null : TakeUsedKeys();
        var reports = default(DeferredReports);
        lock (_writeLock)
        {
            if (_host is not null && (_queue.Reader.Count > 0 || used is { Count: > 0 }))
            {
                FlushLocked("flush", int.MaxValue, used, ref reports);
            }

            lock (_openLock)
            {
                _closed = true;
                _table?.Dispose();
                Volatile.Write(ref _table, null);
            }
        }

        reports.Deliver(_host, _logger);
    }

    /// <summary>Flushes pending writes, stops the background work (waiting for it) and closes the file.</summary>
    /// <returns>A task that completes when the store is closed.</returns>
    public async ValueTask DisposeAsync()
    {
        Dispose();
        await Task.WhenAll(_flushLoop, _cleanupLoop).ConfigureAwait(false);
        _stopping.Dispose();
    }

    /// <summary>Completes after the next flush by the background loop (tests drive the loop with a fake clock).</summary>
    internal Task NextLoopFlushAsync() => Volatile.Read(ref _loopFlushed).Task;

    /// <summary>Completes after the next background cleanup.</summary>
    internal Task NextCleanupAsync() => Volatile.Read(ref _cleanedUp).Task;

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private static void Signal(ref TaskCompletionSource signal) => Interlocked.Exchange(ref signal, NewSignal()).TrySetResult();

    // Invalidations are never deferred: a removed entry must not come back from the file, in this process or another.
    private void Invalidate(InvalidationKind kind, string argument)
    {
        _ = Host;
        var invalidation = new Invalidation(kind, argument, NextStamp());
        if (IsDisposed(invalidation.Operation))
        {
            return;
        }

        var reports = default(DeferredReports);
        lock (_writeLock)
        {
            foreach (var pending in _pending.Values)
            {
                if (invalidation.Supersedes(pending))
                {
                    _pending.TryRemove(KeyValuePair.Create(pending.Key, pending));
                }
            }

            Apply(invalidation, ref reports);
        }

        reports.Deliver(_host, _logger);
    }

    private bool IsDisposed(string operation)
    {
        if (Volatile.Read(ref _disposed) == 0)
        {
            return false;
        }

        Host.ReportError(operation, new ObjectDisposedException(nameof(SqliteDialogueCacheStore), "The SQLite store was disposed; the change stays in memory only."));
        return true;
    }

    private long NowMilliseconds() => UnixTime.ToMilliseconds(Host.TimeProvider.GetUtcNow());

    // A recency stamp: the cache's clock in Unix milliseconds, strictly increasing within this process so that
    // writes in the same millisecond keep their order.
    private long NextStamp()
    {
        var now = NowMilliseconds();
        while (true)
        {
            var last = Interlocked.Read(ref _lastStamp);
            var next = Math.Max(now, last + 1);
            if (Interlocked.CompareExchange(ref _lastStamp, next, last) == last)
            {
                return next;
            }
        }
    }
}
