using System.Diagnostics.CodeAnalysis;

namespace Dialogue.Caching.Tests.AI;

/// <summary>An <see cref="IDialogueCache"/> that is not a <see cref="DialogueCache"/>: forwards every call to one.</summary>
internal sealed class ForwardingDialogueCache(IDialogueCache inner) : IDialogueCache
{
    /// <summary>Runs after each <see cref="TryGet"/> has read, before it returns (key, found): lets a test interleave a race.</summary>
    public Action<string, bool>? AfterTryGet { get; set; }

    public bool TryGet(string key, [MaybeNullWhen(false)] out string value)
    {
        var found = inner.TryGet(key, out value);
        AfterTryGet?.Invoke(key, found);
        return found;
    }

    public string? Get(string key) => inner.Get(key);

    public void Set(string key, string value, TimeSpan? ttl = null) => inner.Set(key, value, ttl);

    public ValueTask<string> GetOrCreateAsync(string key, Func<string, CancellationToken, ValueTask<string>> factory,
        TimeSpan? ttl = null, CancellationToken cancellationToken = default) =>
        inner.GetOrCreateAsync(key, factory, ttl, cancellationToken);

    public bool Invalidate(string key) => inner.Invalidate(key);

    public int InvalidatePattern(string pattern) => inner.InvalidatePattern(pattern);

    public void Clear() => inner.Clear();

    public int Prewarm(IEnumerable<KeyValuePair<string, string>> items) => inner.Prewarm(items);

    public Task<int> PrewarmFromFileAsync(string path, IDialogueCacheLoader? loader = null, CancellationToken cancellationToken = default) =>
        inner.PrewarmFromFileAsync(path, loader, cancellationToken);

    public DialogueCacheAnalytics Analytics() => inner.Analytics();
}
