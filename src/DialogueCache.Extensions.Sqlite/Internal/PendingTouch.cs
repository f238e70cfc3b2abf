namespace Dialogue.Caching.Sqlite.Internal;

/// <summary>A read served from the file: moves the row's <c>last_used</c> forward (best effort, dropped when the queue is busy).</summary>
internal sealed class PendingTouch(string key, long stamp) : PendingWrite(key, stamp);
