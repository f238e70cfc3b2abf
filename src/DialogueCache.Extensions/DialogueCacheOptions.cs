namespace Dialogue.Caching;

/// <summary>
/// Settings of a <see cref="DialogueCache"/>. Bound from the configuration section <c>DialogueCache</c>
/// by <c>AddDialogueCache(IConfiguration)</c>; validated when the cache is built or the host starts.
/// </summary>
public sealed class DialogueCacheOptions
{
    /// <summary>
    /// The name of the cache: the value of the <c>cache.name</c> tag on every metric, and the key of a
    /// named cache in dependency injection. Defaults to <c>"default"</c>.
    /// </summary>
    public string Name { get; set; } = "default";

    /// <summary>
    /// The largest number of entries the cache holds; must be greater than zero. When a new entry would
    /// exceed it, expired entries go first, then the least recently used. Defaults to 1000.
    /// </summary>
    public int MaxSize { get; set; } = 1000;

    /// <summary>
    /// How long an entry lives when <c>Set</c> is called without a time-to-live; must be greater than zero.
    /// Defaults to 600 seconds.
    /// </summary>
    public TimeSpan Ttl { get; set; } = TimeSpan.FromSeconds(600);

    /// <summary>
    /// How often the hosted service removes expired entries; must be greater than zero.
    /// Defaults to 60 seconds. Expired entries are never returned, whether swept yet or not.
    /// </summary>
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// How many of the most frequently requested keys <see cref="IDialogueCache.Analytics"/> reports;
    /// from 0 to 1000. Defaults to 10.
    /// </summary>
    public int TopKeysCount { get; set; } = 10;

    /// <summary>
    /// Files the hosted service loads into the cache at startup, in order, before the application takes
    /// traffic. A <c>.jsonl</c> file is read as JSON Lines, any other as one JSON object.
    /// </summary>
    public IList<string> PrewarmFiles { get; set; } = new List<string>();

    /// <summary>The policy that picks which entry leaves a full cache. Defaults to <see cref="Caching.EvictionPolicy.Lru"/>.</summary>
    public EvictionPolicy EvictionPolicy { get; set; } = EvictionPolicy.Lru;
}
