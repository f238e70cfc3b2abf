namespace Dialogue.Caching.Engine;

/// <summary>Told, outside the engine lock, how many entries each operation removed and why.</summary>
internal interface IRemovalObserver
{
    void OnRemoved(in RemovalTally tally);
}
