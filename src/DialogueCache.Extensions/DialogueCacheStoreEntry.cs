namespace Dialogue.Caching;

/// <summary>An entry as a <see cref="IDialogueCacheStore"/> keeps it.</summary>
/// <param name="Key">The cache key.</param>
/// <param name="Value">A <see cref="string"/> (the <see cref="IDialogueCache"/> API) or a <see cref="byte"/> array (the <c>IDistributedCache</c> face).</param>
/// <param name="ExpiresAt">When the entry expires, on the cache's <see cref="TimeProvider"/>.</param>
public readonly record struct DialogueCacheStoreEntry(string Key, object Value, DateTimeOffset ExpiresAt);
