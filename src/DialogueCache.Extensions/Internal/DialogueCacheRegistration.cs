namespace Dialogue.Caching.Internal;

/// <summary>Marks a cache name as registered, so calling <c>AddDialogueCache</c> twice adds its services once.</summary>
internal sealed class DialogueCacheRegistration(string name)
{
    public string Name { get; } = name;
}
