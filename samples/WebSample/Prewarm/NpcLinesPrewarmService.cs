using Dialogue.Caching;
using Microsoft.Extensions.Options;
using WebSample.Internal;

namespace WebSample.Prewarm;

/// <summary>
/// Loads <see cref="PrewarmOptions.File"/> into the cache while the host starts. It runs in
/// <see cref="IHostedLifecycleService.StartingAsync"/>, before any hosted service's <c>StartAsync</c> and so before
/// Kestrel takes traffic, and after the cache's own hosted service (registered first), which brings back the SQLite
/// file's entries.
/// </summary>
internal sealed class NpcLinesPrewarmService(
    IDialogueCache cache, NpcLinesLoader loader, IOptions<PrewarmOptions> options, IHostEnvironment environment,
    TimeProvider clock, ILogger<NpcLinesPrewarmService> logger) : IHostedLifecycleService
{
    /// <inheritdoc />
    public async Task StartingAsync(CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(options.Value.File))
        {
            Log.NpcLinesPrewarmSkipped(logger);
            return;
        }

        var path = Path.Combine(environment.ContentRootPath, options.Value.File);
        var started = clock.GetTimestamp();
        var count = await cache.PrewarmFromFileAsync(path, loader, cancellationToken).ConfigureAwait(false);
        Log.NpcLinesPrewarmed(logger, count, options.Value.File, clock.GetElapsedTime(started).TotalMilliseconds);
    }

    /// <inheritdoc />
    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <inheritdoc />
    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <inheritdoc />
    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <inheritdoc />
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <inheritdoc />
    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
