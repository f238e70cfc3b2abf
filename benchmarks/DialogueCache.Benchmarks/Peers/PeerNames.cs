namespace Dialogue.Caching.Benchmarks.Peers;

/// <summary>The names of the caches compared: table rows, and the keys of <see cref="CachePeers"/>.</summary>
internal static class PeerNames
{
    public const string ConcurrentDictionary = "ConcurrentDictionary";
    public const string DialogueCacheLru = "DialogueCache (Lru)";
    public const string DialogueCacheTinyLfu = "DialogueCache (TinyLfu)";
    public const string BitFasterLru = "BitFaster ConcurrentLru";
    public const string BitFasterLfu = "BitFaster ConcurrentLfu";
    public const string MemoryCache = "MemoryCache";
    public const string FusionCache = "FusionCache";
    public const string LockedLru = "Locked exact LRU";

    /// <summary>Rows that are ours: the tables add a "ours ÷ peer" column for each.</summary>
    public static bool IsOurs(string name) => name.StartsWith("DialogueCache", StringComparison.Ordinal);
}
