namespace Dialogue.Caching.Engine;

/// <summary>
/// Entries removed by one engine operation, counted under the lock and reported after it is released, so no
/// metric listener (user code) runs while the lock is held.
/// </summary>
internal struct RemovalTally
{
    public int Capacity;
    public int Expired;
    public int Removed;
    public int Cleared;

    public readonly bool IsEmpty => (Capacity | Expired | Removed | Cleared) == 0;

    public void Add(RemovalCause cause)
    {
        switch (cause)
        {
            case RemovalCause.Capacity: Capacity++; break;
            case RemovalCause.Expired: Expired++; break;
            case RemovalCause.Removed: Removed++; break;
            default: Cleared++; break;
        }
    }
}
