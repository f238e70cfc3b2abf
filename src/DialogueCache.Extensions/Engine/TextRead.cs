namespace Dialogue.Caching.Engine;

/// <summary>What a read through the string API or the byte faces found (<see cref="CacheEngine.TryGetTextHit"/>).</summary>
internal enum TextRead : byte
{
    /// <summary>No live entry: the caller may read the store, and counts the miss if it finds nothing.</summary>
    Absent,

    /// <summary>A live text or bytes entry; the hit is counted.</summary>
    Hit,

    /// <summary>
    /// A live entry whose value is not text (an object set through IMemoryCache): absent for these faces, nothing
    /// counted. The caller counts a miss and does not read the store: the store's copy, if any, is older.
    /// </summary>
    NotText,
}
