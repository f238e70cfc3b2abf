using System.Diagnostics.CodeAnalysis;
using Dialogue.Caching;

namespace WebSample.Prewarm;

/// <summary>
/// An <see cref="IDialogueCache"/> that is always empty and keeps the last entry written to it. Put under the cache
/// middleware, it captures the exact key and stored form of a response without touching the application's cache
/// (whose hits, misses and top keys stay the players' own).
/// </summary>
internal sealed class EntryCapture : IDialogueCache
{
    /// <summary>The last entry the middleware stored, if any.</summary>
    public KeyValuePair<string, string>? Entry { get; private set; }

    /// <inheritdoc />
    public bool TryGet(string key, [MaybeNullWhen(false)] out string value)
    {
        value = null;
        return false;
    }

    /// <inheritdoc />
    public string? Get(string key) => null;

    /// <inheritdoc />
    public void Set(string key, string value, TimeSpan? ttl = null) => Entry = new(key, value);

    /// <inheritdoc />
    public bool Invalidate(string key) => false;

    /// <inheritdoc />
    public int InvalidatePattern(string pattern) => 0;

    /// <inheritdoc />
    public void Clear() => Entry = null;

    /// <inheritdoc />
    public ValueTask<string> GetOrCreateAsync(string key, Func<string, CancellationToken, ValueTask<string>> factory,
        TimeSpan? ttl = null, CancellationToken cancellationToken = default) => throw Unused();

    /// <inheritdoc />
    public int Prewarm(IEnumerable<KeyValuePair<string, string>> items) => throw Unused();

    /// <inheritdoc />
    public Task<int> PrewarmFromFileAsync(string path, IDialogueCacheLoader? loader = null, CancellationToken cancellationToken = default) =>
        throw Unused();

    /// <inheritdoc />
    public DialogueCacheAnalytics Analytics() => throw Unused();

    private static NotSupportedException Unused() =>
        new("EntryCapture only records what the chat cache middleware writes; it is not a cache.");
}
