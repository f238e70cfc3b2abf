using System.Diagnostics;
using System.Text.Json;
using Dialogue.Caching.Engine;
using Dialogue.Caching.Internal;
using Dialogue.Caching.Prewarm;

namespace Dialogue.Caching;

/// <summary>Prewarming (stage, then commit) and the hot-key export that feeds it.</summary>
public sealed partial class DialogueCache
{
    /// <inheritdoc />
    public int Prewarm(IEnumerable<KeyValuePair<string, string>> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        var stage = new PrewarmStage(_maxSize, items.TryGetNonEnumeratedCount(out var count) ? count : 0);
        var index = 0L;
        foreach (var (key, value) in items)
        {
            if (string.IsNullOrEmpty(key))
            {
                throw new ArgumentException($"Item {index} has a null or empty key; nothing was stored.", nameof(items));
            }

            if (value is null)
            {
                throw new ArgumentException($"Item {index} has a null value; nothing was stored.", nameof(items));
            }

            stage.Add(new DialogueCacheEntry(key, value));
            index++;
        }

        return Commit(stage);
    }

    /// <inheritdoc />
    public async Task<int> PrewarmFromFileAsync(string path, IDialogueCacheLoader? loader = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var fullPath = Path.GetFullPath(path);
        if (!File.Exists(fullPath))
        {
            throw new FileNotFoundException($"Prewarm file '{path}' was not found (looked for '{fullPath}').", fullPath);
        }

        loader ??= DefaultLoaderFor(fullPath);
        var started = Stopwatch.GetTimestamp();

        // A prewarm entry takes at least ~64 bytes of file (a short key, a short value, the JSON around them).
        var stage = new PrewarmStage(_maxSize, new FileInfo(fullPath).Length / 64);
        try
        {
            // The loader reads in large chunks of its own: no FileStream buffer underneath it.
            var stream = new FileStream(fullPath, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 0, FileOptions.Asynchronous | FileOptions.SequentialScan);
            await using (stream.ConfigureAwait(false))
            {
                await StageAsync(stage, loader, stream, path, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            Log.PrewarmFailed(_logger, _name, path, exception);
            throw;
        }

        var count = Commit(stage);
        Log.PrewarmLoaded(_logger, _name, count, path, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        return count;
    }

    /// <summary>
    /// Writes the most frequently requested keys that are cached now, with their values, as a JSON object:
    /// a prewarm file for the next start (<see cref="PrewarmFromFileAsync"/> reads it back).
    /// </summary>
    /// <param name="destination">Where the JSON goes: a writable stream, left open.</param>
    /// <param name="count">How many of the hottest keys to consider (from 1 to 65,536); cold or uncached keys are skipped.</param>
    /// <param name="cancellationToken">Stops the write.</param>
    /// <returns>How many entries were written.</returns>
    public async Task<int> ExportHotKeysAsync(Stream destination, int count = 100, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(destination);
        if (!destination.CanWrite)
        {
            throw new ArgumentException("The stream must be writable.", nameof(destination));
        }

        ThrowIfBadExportCount(count);

        var written = 0;
        var writer = new Utf8JsonWriter(destination, new JsonWriterOptions { Indented = true });
        await using (writer.ConfigureAwait(false))
        {
            writer.WriteStartObject();
            foreach (var (key, _) in _engine.TopKeys(count))
            {
                if (_engine.TryPeek(key, out var node) && node.Value is string value)
                {
                    writer.WriteString(key, value);
                    written++;
                }
            }

            writer.WriteEndObject();
            await writer.FlushAsync(cancellationToken).ConfigureAwait(false);
        }

        return written;
    }

    /// <summary>Writes the hot-key export (see <see cref="ExportHotKeysAsync(Stream, int, CancellationToken)"/>) to a file, replacing it.</summary>
    /// <param name="path">The file to write (through a <c>.tmp</c> file beside it, then moved into place).</param>
    /// <param name="count">How many of the hottest keys to consider (from 1 to 65,536).</param>
    /// <param name="cancellationToken">Stops the write.</param>
    /// <returns>How many entries were written.</returns>
    public async Task<int> ExportHotKeysAsync(string path, int count = 100, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);

        // Before the temporary file is created: a refused call leaves nothing behind.
        ThrowIfBadExportCount(count);

        // Write beside the target, then move: a crash mid-write never leaves a half-written prewarm file.
        var temporary = path + ".tmp";
        int written;
        var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None, 64 * 1024, FileOptions.Asynchronous);
        await using (stream.ConfigureAwait(false))
        {
            written = await ExportHotKeysAsync(stream, count, cancellationToken).ConfigureAwait(false);
        }

        File.Move(temporary, path, overwrite: true);
        return written;
    }

    private static void ThrowIfBadExportCount(int count, [System.Runtime.CompilerServices.CallerArgumentExpression(nameof(count))] string? paramName = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1, paramName);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, 65_536, paramName);
    }

    private static IDialogueCacheLoader DefaultLoaderFor(string path) =>
        string.Equals(Path.GetExtension(path), ".jsonl", StringComparison.OrdinalIgnoreCase)
            ? new JsonLinesDialogueCacheLoader()
            : new JsonDialogueCacheLoader();

    private static async Task StageAsync(PrewarmStage stage, IDialogueCacheLoader loader, Stream stream, string path, CancellationToken cancellationToken)
    {
        var ordinal = 0L;
        try
        {
            if (loader is IDialogueCacheEntryLoader entryLoader)
            {
                await foreach (var entry in entryLoader.LoadEntriesAsync(stream, cancellationToken).WithCancellation(cancellationToken).ConfigureAwait(false))
                {
                    stage.Add(CheckEntry(entry, ++ordinal, path));
                }
            }
            else
            {
                await foreach (var (key, value) in loader.LoadAsync(stream, cancellationToken).WithCancellation(cancellationToken).ConfigureAwait(false))
                {
                    stage.Add(CheckEntry(new DialogueCacheEntry(key, value), ++ordinal, path));
                }
            }
        }
        catch (DialogueCachePrewarmException exception) when (exception.FilePath is null)
        {
            throw exception.WithPath(path);
        }
        catch (JsonException exception)
        {
            throw new DialogueCachePrewarmException(exception.Message, path,
                (exception.LineNumber ?? -1) + 1, (exception.BytePositionInLine ?? -1) + 1, exception);
        }
        catch (Exception exception) when (exception is not (OperationCanceledException or DialogueCachePrewarmException))
        {
            throw new DialogueCachePrewarmException(
                $"the loader {loader.GetType().Name} failed after {ordinal} entries: {exception.Message}", path, 0, 0, exception);
        }
    }

    // Loaders are pluggable: check what a custom one yields as strictly as the built-in ones do.
    private static DialogueCacheEntry CheckEntry(DialogueCacheEntry entry, long ordinal, string path)
    {
        if (string.IsNullOrEmpty(entry.Key))
        {
            throw new DialogueCachePrewarmException($"entry {ordinal} has a null or empty key.", path, 0, 0);
        }

        if (entry.Value is null)
        {
            throw new DialogueCachePrewarmException($"entry {ordinal} has a null value.", path, 0, 0);
        }

        if (entry.Ttl is { } ttl && ttl <= TimeSpan.Zero)
        {
            throw new DialogueCachePrewarmException($"entry {ordinal} has a time-to-live that is not greater than zero.", path, 0, 0);
        }

        return entry;
    }

    /// <summary>The <see cref="PrewarmStage.PeakCount"/> and <see cref="PrewarmStage.PeakSlots"/> of the last committed prewarm (for tests).</summary>
    internal (int Count, int Slots) LastPrewarmStagePeak { get; private set; }

    private int Commit(PrewarmStage stage)
    {
        LastPrewarmStagePeak = (stage.PeakCount, stage.PeakSlots);
        var clock = _engine.Clock;
        var nodes = new List<CacheNode>(stage.Count);
        foreach (var entry in stage.Entries())
        {
            nodes.Add(new CacheNode(entry.Key, entry.Value, clock.ExpiryFor(entry.Ttl ?? _ttl)));
        }

        _engine.SetMany(nodes);
        return nodes.Count;
    }
}
