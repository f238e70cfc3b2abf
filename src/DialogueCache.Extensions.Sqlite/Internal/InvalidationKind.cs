namespace Dialogue.Caching.Sqlite.Internal;

/// <summary>What an <see cref="Invalidation"/> removes.</summary>
internal enum InvalidationKind
{
    /// <summary>One key.</summary>
    Key,

    /// <summary>Every key containing a substring (ordinal).</summary>
    Containing,

    /// <summary>Every row of the cache.</summary>
    All,
}
