using Dialogue.Caching.AI;
using Microsoft.Extensions.AI;

namespace Dialogue.Caching.Tests.AI;

/// <summary>Conversations and options for the tests.</summary>
internal static class Chat
{
    public const string Persona = "You are Brom, the blacksmith of Riverwood. Answer in one short sentence.";

    public static List<ChatMessage> Conversation(string userLine, string? persona = Persona)
    {
        var messages = new List<ChatMessage>();
        if (persona is not null)
        {
            messages.Add(new ChatMessage(ChatRole.System, persona));
        }

        messages.Add(new ChatMessage(ChatRole.User, userLine));
        return messages;
    }

    public static ChatOptions For(string? character = null, string? context = null, string? mode = null, object? ttl = null)
    {
        var options = new ChatOptions { AdditionalProperties = [] };
        Put(options, DialogueCachingChatClient.CharacterProperty, character);
        Put(options, DialogueCachingChatClient.ContextProperty, context);
        Put(options, DialogueCachingChatClient.CacheModeProperty, mode);
        Put(options, DialogueCachingChatClient.TtlProperty, ttl);
        return options;
    }

    public static ChatOptions With(this ChatOptions options, string name, object? value)
    {
        options.AdditionalProperties ??= [];
        options.AdditionalProperties[name] = value;
        return options;
    }

    private static void Put(ChatOptions options, string name, object? value)
    {
        if (value is not null)
        {
            options.AdditionalProperties![name] = value;
        }
    }
}
