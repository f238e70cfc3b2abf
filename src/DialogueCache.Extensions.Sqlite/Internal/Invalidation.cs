namespace Dialogue.Caching.Sqlite.Internal;

/// <summary>
/// A removal the file must get. Applied at once; when the file cannot take it (full, read-only, unreachable) it is
/// kept and retried at every flush, and until then the store reads nothing from the file, which could still hold
/// what was removed. A retry removes only rows older than <see cref="Stamp"/>: what this process wrote after the
/// removal survives it.
/// </summary>
/// <param name="Kind">What is removed.</param>
/// <param name="Argument">The key or the substring; empty for <see cref="InvalidationKind.All"/>.</param>
/// <param name="Stamp">The recency stamp of the moment of the removal.</param>
internal readonly record struct Invalidation(InvalidationKind Kind, string Argument, long Stamp)
{
    /// <summary>The <c>operation</c> tag of its failures.</summary>
    public string Operation => Kind == InvalidationKind.All ? "clear" : "remove";

    /// <summary>Deletes the rows; <paramref name="late"/> limits a retry to rows older than <see cref="Stamp"/>.</summary>
    public int Apply(SqliteEntryTable table, bool late)
    {
        var before = late ? Stamp : long.MaxValue;
        return Kind switch
        {
            InvalidationKind.Key => table.Delete(Argument, before),
            InvalidationKind.Containing => table.DeleteContaining(Argument, before),
            _ => table.DeleteAll(before),
        };
    }

    /// <summary>True when a write still waiting in the queue must not reach the file any more.</summary>
    public bool Supersedes(PendingSet pending) => Kind switch
    {
        InvalidationKind.Key => pending.Key == Argument,
        InvalidationKind.Containing => pending.Key.Contains(Argument, StringComparison.Ordinal),
        _ => true,
    };
}
