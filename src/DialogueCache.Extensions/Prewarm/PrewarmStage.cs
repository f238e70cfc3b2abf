namespace Dialogue.Caching.Prewarm;

/// <summary>
/// Entries read from prewarm input, held until the whole input has been read and checked, then committed
/// at once: a failed prewarm leaves the cache as it was. Only the last <c>capacity</c> distinct keys can
/// survive a commit into a cache of that size, so the stage keeps just those (a later duplicate replaces an
/// earlier one and counts as the newer): a file larger than memory needs memory for <c>capacity</c> entries.
/// </summary>
internal sealed class PrewarmStage
{
    /// <summary>How many superseded slots the arrival list may hold beyond twice the live entries before it is compacted.</summary>
    internal const int CompactionSlack = 1024;

    private readonly int _capacity;
    private readonly Dictionary<string, int> _indexByKey;

    // Arrival order. Slots of superseded or dropped entries are cleared (Key == null) and skipped; the list
    // is compacted when such holes outnumber the live entries.
    private readonly List<DialogueCacheEntry> _entries;
    private int _start;

    /// <param name="capacity">The most distinct keys kept (the cache's MaxSize).</param>
    /// <param name="expectedCount">How many entries the input probably holds, to size the stage once instead of
    /// growing it (a million-entry prewarm otherwise rehashes its dictionary twenty times).</param>
    public PrewarmStage(int capacity, long expectedCount = 0)
    {
        _capacity = capacity;
        var initial = (int)Math.Clamp(expectedCount, 0, capacity);
        _indexByKey = new Dictionary<string, int>(initial, StringComparer.Ordinal);
        _entries = new List<DialogueCacheEntry>(initial);
    }

    /// <summary>Distinct keys staged.</summary>
    public int Count => _indexByKey.Count;

    /// <summary>The most distinct keys held at any moment (after each <see cref="Add"/> returns): never above the capacity.</summary>
    public int PeakCount { get; private set; }

    /// <summary>The most slots the arrival list held at any moment (after each <see cref="Add"/> returns), live or superseded.</summary>
    public int PeakSlots { get; private set; }

    public void Add(DialogueCacheEntry entry)
    {
        if (_indexByKey.TryGetValue(entry.Key, out var previous))
        {
            _entries[previous] = default;
        }

        _indexByKey[entry.Key] = _entries.Count;
        _entries.Add(entry);

        if (_indexByKey.Count > _capacity)
        {
            DropOldest();
        }

        if (_entries.Count > (2 * _indexByKey.Count) + CompactionSlack)
        {
            Compact();
        }

        PeakCount = Math.Max(PeakCount, _indexByKey.Count);
        PeakSlots = Math.Max(PeakSlots, _entries.Count);
    }

    /// <summary>The staged entries, oldest first.</summary>
    public IEnumerable<DialogueCacheEntry> Entries()
    {
        for (var i = _start; i < _entries.Count; i++)
        {
            if (_entries[i].Key is not null)
            {
                yield return _entries[i];
            }
        }
    }

    private void DropOldest()
    {
        while (_entries[_start].Key is null)
        {
            _start++;
        }

        _indexByKey.Remove(_entries[_start].Key);
        _entries[_start] = default;
        _start++;
    }

    private void Compact()
    {
        var write = 0;
        for (var read = _start; read < _entries.Count; read++)
        {
            var entry = _entries[read];
            if (entry.Key is null)
            {
                continue;
            }

            _entries[write] = entry;
            _indexByKey[entry.Key] = write;
            write++;
        }

        _entries.RemoveRange(write, _entries.Count - write);
        _start = 0;
    }
}
