using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Serialization;
using Dialogue.Caching;
using Dialogue.Caching.AI;
using Microsoft.Extensions.AI;
using WebSample.Dialogue;

namespace WebSample.Prewarm;

/// <summary>
/// Reads an NPC-lines prewarm file, a JSON array of <c>{"character", "context", "prompt", "response"}</c>, into
/// cache entries that the chat middleware will find: each line goes through a <see cref="DialogueCachingChatClient"/>
/// over a <see cref="FixedReplyChatClient"/> answering with the written response, and the entry it stores is captured.
/// </summary>
/// <remarks>
/// The middleware's keys cover the whole request (system prompt, options, model id, a format version) and its
/// entries are its own JSON, so the only faithful way to make them is to let the middleware make them. Keep the
/// middleware's settings here equal to those in Program.cs (the sample uses the defaults).
/// The array is streamed: a large file needs memory for one line at a time (the cache stages at most MaxSize).
/// </remarks>
/// <param name="modelMetadata">The real model's metadata: its id is part of every key.</param>
internal sealed class NpcLinesLoader(ChatClientMetadata? modelMetadata) : IDialogueCacheLoader
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        AllowTrailingCommas = true,
        ReadCommentHandling = JsonCommentHandling.Skip,
    };

    /// <inheritdoc />
    public async IAsyncEnumerable<KeyValuePair<string, string>> LoadAsync(Stream stream,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var ordinal = 0;
        await foreach (var line in JsonSerializer.DeserializeAsyncEnumerable<NpcLine>(stream, Json, cancellationToken).ConfigureAwait(false))
        {
            ordinal++;
            var (dialogue, response) = Check(line, ordinal);
            var capture = new EntryCapture();
            using var middleware = new DialogueCachingChatClient(new FixedReplyChatClient(response, modelMetadata), capture);
            var (messages, options) = NpcConversation.Create(dialogue);
            await middleware.GetResponseAsync(messages, options, cancellationToken).ConfigureAwait(false);
            yield return capture.Entry
                ?? throw new DialogueCachePrewarmException($"NPC line {ordinal} was not stored by the chat cache middleware.");
        }
    }

    private static (DialogueLine Line, string Response) Check(NpcLine? line, int ordinal)
    {
        if (line is null)
        {
            throw new DialogueCachePrewarmException($"NPC line {ordinal} is null; each line is an object with character, context, prompt and response.");
        }

        var character = Required(line.Character, "character", ordinal, DialogueLine.MaxCharacterLength);
        var prompt = Required(line.Prompt, "prompt", ordinal, DialogueLine.MaxPromptLength);
        var response = Required(line.Response, "response", ordinal, int.MaxValue);
        var context = line.Context ?? string.Empty;
        if (context.Length > DialogueLine.MaxContextLength)
        {
            throw new DialogueCachePrewarmException(
                $"NPC line {ordinal}: 'context' must be at most {DialogueLine.MaxContextLength} characters (was {context.Length}).");
        }

        return (new DialogueLine(character, context, prompt), response);
    }

    private static string Required(string? value, string field, int ordinal, int maxLength)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            throw new DialogueCachePrewarmException($"NPC line {ordinal}: '{field}' is required and must not be empty.");
        }

        if (value.Length > maxLength)
        {
            throw new DialogueCachePrewarmException($"NPC line {ordinal}: '{field}' must be at most {maxLength} characters (was {value.Length}).");
        }

        return value;
    }
}
