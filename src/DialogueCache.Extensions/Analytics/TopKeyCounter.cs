namespace Dialogue.Caching.Analytics;

/// <summary>One monitored key of a <see cref="TopKeysSummary"/>.</summary>
internal sealed class TopKeyCounter
{
    public TopKeyCounter(string key)
    {
        Key = key;
    }

    /// <summary>The key counted now; a counter is reused for another key when its key drops out.</summary>
    public string Key { get; set; }

    /// <summary>Reads of <see cref="Key"/>: exact since the key was monitored, and never below the true count.</summary>
    public long Count { get; set; }

    /// <summary>Position in the summary's min-heap.</summary>
    public int HeapIndex { get; set; }
}
