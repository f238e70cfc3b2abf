using Dialogue.Caching.AI;
using Microsoft.Extensions.AI;

namespace WebSample.Dialogue;

/// <summary>
/// Turns a dialogue line into the chat request the model gets. The dialogue endpoint and the NPC-lines prewarm both
/// build requests here: the cache key covers the whole request (system prompt, options, model id), so a prewarmed line
/// is only a hit if it was made from exactly the request a player's line makes.
/// </summary>
internal static class NpcConversation
{
    /// <summary>Keeps replies short enough to be spoken by an NPC.</summary>
    public const int MaxOutputTokens = 120;

    /// <summary>The messages and options for <paramref name="line"/>.</summary>
    /// <param name="line">A checked dialogue line.</param>
    /// <returns>The system prompt and the player's line, and options naming the character and context for the cache key.</returns>
    public static (IList<ChatMessage> Messages, ChatOptions Options) Create(DialogueLine line)
    {
        ArgumentNullException.ThrowIfNull(line);
        var persona = line.Context.Length == 0
            ? $"You are {line.Character}, a character in a fantasy village. Stay in character and answer in one or two sentences."
            : $"You are {line.Character}, a character in a fantasy village. Scene: {line.Context}. Stay in character and answer in one or two sentences.";
        IList<ChatMessage> messages = [new(ChatRole.System, persona), new(ChatRole.User, line.Prompt)];
        var options = new ChatOptions
        {
            MaxOutputTokens = MaxOutputTokens,
            AdditionalProperties = new()
            {
                // The key's readable segments: DELETE /cache/entries?pattern=npc:blacksmith drops a character's lines.
                [DialogueCachingChatClient.CharacterProperty] = line.Character,
                [DialogueCachingChatClient.ContextProperty] = line.Context,
            },
        };
        return (messages, options);
    }
}
