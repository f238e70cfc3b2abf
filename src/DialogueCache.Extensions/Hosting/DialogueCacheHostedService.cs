using System.Diagnostics;
using Dialogue.Caching.Internal;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Dialogue.Caching.Hosting;

/// <summary>
/// Starts the cache's store (a warm restart) and prewarms it from <see cref="DialogueCacheOptions.PrewarmFiles"/>,
/// then sweeps expired entries every <see cref="DialogueCacheOptions.SweepInterval"/> on the cache's
/// <see cref="TimeProvider"/>.
/// </summary>
/// <remarks>
/// <para>The start work is finished when <see cref="StartAsync"/> returns. The generic host calls
/// <see cref="StartingAsync"/> first, before any hosted service's <c>StartAsync</c> (so before ASP.NET Core takes
/// traffic), and the work runs there; whichever of the two comes first does it, once, and the other waits for it.
/// Code that calls <see cref="IHostedService.StartAsync"/> alone gets it too.</para>
/// <para>A prewarm file that is missing or malformed fails the start with the cache's clear error:
/// a misconfigured prewarm is a deployment mistake to see at once, not a slow start to discover later.</para>
/// </remarks>
internal sealed class DialogueCacheHostedService : BackgroundService, IHostedLifecycleService
{
    private readonly DialogueCache _cache;
    private readonly DialogueCacheOptions _options;
    private readonly IHostEnvironment? _environment;
    private readonly ILogger _logger;
    private readonly TimeProvider _timeProvider;
    private PeriodicTimer? _sweepTimer;
    private TaskCompletionSource? _startup;

    public DialogueCacheHostedService(DialogueCache cache, DialogueCacheOptions options, IHostEnvironment? environment,
        ILoggerFactory? loggerFactory, TimeProvider timeProvider)
    {
        _cache = cache;
        _options = options;
        _environment = environment;
        _logger = (ILogger?)loggerFactory?.CreateLogger<DialogueCacheHostedService>() ?? NullLogger.Instance;
        _timeProvider = timeProvider;
    }

    public Task StartingAsync(CancellationToken cancellationToken) => EnsureStartedAsync(cancellationToken);

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        await EnsureStartedAsync(cancellationToken).ConfigureAwait(false);

        // Created here, not in ExecuteAsync: .NET runs ExecuteAsync on the thread pool, so a timer made there
        // would start its first period at some later moment instead of when the host starts.
        _sweepTimer = new PeriodicTimer(_options.SweepInterval, _timeProvider);
        await base.StartAsync(cancellationToken).ConfigureAwait(false);
    }

    // The first caller does the start work; a later one (StartAsync after StartingAsync) waits for its outcome,
    // success or the same error, without doing it again.
    private async Task EnsureStartedAsync(CancellationToken cancellationToken)
    {
        var mine = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        if (Interlocked.CompareExchange(ref _startup, mine, null) is { } running)
        {
            await running.Task.ConfigureAwait(false);
            return;
        }

        try
        {
            await StartCoreAsync(cancellationToken).ConfigureAwait(false);
            mine.SetResult();
        }
        catch (OperationCanceledException exception)
        {
            mine.SetCanceled(exception.CancellationToken);
            throw;
        }
        catch (Exception exception)
        {
            mine.SetException(exception);
            throw;
        }
    }

    private async Task StartCoreAsync(CancellationToken cancellationToken)
    {
        // The store first (a warm restart brings back what was served before), then the prewarm files.
        await _cache.StartStoreAsync(cancellationToken).ConfigureAwait(false);
        if (_options.PrewarmFiles.Count == 0)
        {
            return;
        }

        var started = Stopwatch.GetTimestamp();
        var total = 0;
        foreach (var file in _options.PrewarmFiles)
        {
            total += await _cache.PrewarmFromFileAsync(Resolve(file), cancellationToken: cancellationToken).ConfigureAwait(false);
        }

        Log.PrewarmStartupCompleted(_logger, _cache.Name, total, _options.PrewarmFiles.Count, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
    }

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
        await _cache.FlushStoreAsync(cancellationToken).ConfigureAwait(false);
    }

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var timer = _sweepTimer!;
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                try
                {
                    _cache.RemoveExpired();
                }
                catch (Exception exception)
                {
                    // Keep sweeping: one failed sweep must not stop expiry for the life of the process.
                    Log.SweepFailed(_logger, _cache.Name, exception);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // The host is stopping.
        }
    }

    public override void Dispose()
    {
        _sweepTimer?.Dispose();
        base.Dispose();
    }

    // Relative prewarm paths are relative to the application's content root, not to whatever directory
    // the process was started from.
    private string Resolve(string file) =>
        Path.IsPathRooted(file) || _environment is null ? file : Path.Combine(_environment.ContentRootPath, file);
}
