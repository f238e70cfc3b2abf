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

    /// <summary>Estimated reads of <see cref="Key"/>: never below the true count, above it by at most <see cref="Error"/>.</summary>
    public long Count { get; set; }

    /// <summary>The count the counter had when it was taken over by <see cref="Key"/>.</summary>
    public long Error { get; set; }

    /// <summary>Position in the summary's min-heap.</summary>
    public int HeapIndex { get; set; }
}
