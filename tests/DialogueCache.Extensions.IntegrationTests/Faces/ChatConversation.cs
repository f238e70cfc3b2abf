using Dialogue.Caching.AI;
using Microsoft.Extensions.AI;

namespace Dialogue.Caching.IntegrationTests.Faces;

/// <summary>The conversation and per-request options the chat tests send through the middleware.</summary>
internal static class ChatConversation
{
    public const string Character = "npc:smith";

    public static List<ChatMessage> Hello(string line = "Hello there!") =>
    [
        new ChatMessage(ChatRole.System, "You are Brom, the blacksmith of Riverwood. Answer in one short sentence."),
        new ChatMessage(ChatRole.User, line),
    ];

    public static ChatOptions Options(string context = "forge") => new()
    {
        AdditionalProperties = new AdditionalPropertiesDictionary
        {
            [DialogueCachingChatClient.CharacterProperty] = Character,
            [DialogueCachingChatClient.ContextProperty] = context,
        },
    };
}
