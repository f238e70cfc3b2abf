namespace Dialogue.Caching.AI;

/// <summary>
/// The character and context segments of a chat response's cache key (see <see cref="DialogueKey"/>), as returned
/// by <see cref="DialogueCachingChatClient.KeySelector"/>.
/// </summary>
public readonly record struct DialogueChatScope
{
    /// <summary>Creates a scope.</summary>
    /// <param name="character">Who answers, for example <c>npc:blacksmith</c>; not empty or white space.</param>
    /// <param name="context">What the answer depends on besides the conversation (scene, quest state); may be empty.</param>
    /// <exception cref="ArgumentNullException"><paramref name="character"/> or <paramref name="context"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="character"/> is empty or white space.</exception>
    public DialogueChatScope(string character, string context = "")
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(character);
        ArgumentNullException.ThrowIfNull(context);
        Character = character;
        Context = context;
    }

    /// <summary>Who answers: the first segment of the key, so <c>InvalidatePattern(character)</c> finds the character's entries.</summary>
    public string Character { get; }

    /// <summary>What the answer depends on besides the conversation: the second segment of the key.</summary>
    public string Context { get; }
}
