using System.Buffers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.AI;

namespace Dialogue.Caching.AI.Internal;

/// <summary>
/// Writes the prompt segment of a chat response's cache key: one compact JSON document with the cache-format
/// version, the model id, the options that change the output, and the whole conversation as normalized text.
/// </summary>
/// <remarks>
/// <para>Every text is normalized (<see cref="TextNormalizer"/>) and then written as a JSON string, so no text
/// can forge the structure around it (a user line containing <c>"},{"role":"assistant"</c> stays inside its
/// string). The document is ASCII only (the writer escapes everything else), so the NFKC, case folding and
/// white-space collapsing that <see cref="DialogueKey"/> applies afterwards cannot merge two documents.</para>
/// <para>Left out on purpose: message ids, timestamps, raw representations, additional properties of messages
/// and contents, function call ids (they differ on every call), reasoning text, and the <c>dialogue.*</c>
/// control properties (character and context are key segments of their own; mode and TTL do not change the
/// response).</para>
/// </remarks>
internal static class CanonicalPrompt
{
    /// <summary>Part of every key: bump it when the stored entry format or this canonical form changes.</summary>
    public const int FormatVersion = 1;

    private static readonly JsonWriterOptions WriterOptions = new() { Indented = false };

    public static string Create(IReadOnlyList<ChatMessage> messages, ChatOptions? options, string? modelId,
        ReadOnlySpan<object?> additionalValues, JsonSerializerOptions json)
    {
        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            writer.WriteStartObject();
            writer.WriteNumber("format", FormatVersion);
            WriteText(writer, "model", modelId, "The model id");
            WriteOptions(writer, options, json);

            writer.WriteStartArray("messages");
            for (var i = 0; i < messages.Count; i++)
            {
                WriteMessage(writer, messages[i], i, json);
            }

            writer.WriteEndArray();

            if (!additionalValues.IsEmpty)
            {
                writer.WriteStartArray("extra");
                foreach (var value in additionalValues)
                {
                    WriteValue(writer, value, json, "A cache key value", nameof(additionalValues));
                }

                writer.WriteEndArray();
            }

            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    // Always written, so no options, empty options and options with only dialogue.* controls give one key.
    private static void WriteOptions(Utf8JsonWriter writer, ChatOptions? options, JsonSerializerOptions json)
    {
        writer.WriteStartObject("options");
        if (options is null)
        {
            writer.WriteEndObject();
            return;
        }

        if (options.ConversationId is { } conversationId)
        {
            // Only requests cached with CacheConversationRequests get here with one. An opaque id: hashed, not
            // normalized, so that the key's case folding cannot merge two conversations.
            writer.WriteString("conversation", Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(conversationId))));
        }

        WriteText(writer, "instructions", options.Instructions, "ChatOptions.Instructions");
        WriteNumber(writer, "temperature", options.Temperature);
        WriteNumber(writer, "topP", options.TopP);
        WriteNumber(writer, "topK", options.TopK);
        WriteNumber(writer, "maxOutputTokens", options.MaxOutputTokens);
        WriteNumber(writer, "frequencyPenalty", options.FrequencyPenalty);
        WriteNumber(writer, "presencePenalty", options.PresencePenalty);
        if (options.Seed is { } seed)
        {
            writer.WriteNumber("seed", seed);
        }

        if (options.StopSequences is { Count: > 0 } stops)
        {
            writer.WriteStartArray("stop");
            foreach (var stop in stops)
            {
                // Stop sequences are matched literally by the model: keep them exact.
                writer.WriteStringValue(stop);
            }

            writer.WriteEndArray();
        }

        switch (options.ResponseFormat)
        {
            case null:
                break;
            case ChatResponseFormatText:
                writer.WriteString("responseFormat", "text");
                break;
            case ChatResponseFormatJson format:
                writer.WriteStartObject("responseFormat");
                writer.WriteString("type", "json");
                WriteText(writer, "name", format.SchemaName, "The response format's schema name");
                WriteText(writer, "description", format.SchemaDescription, "The response format's schema description");
                if (format.Schema is { } schema)
                {
                    writer.WritePropertyName("schema");
                    schema.WriteTo(writer);
                }

                writer.WriteEndObject();
                break;
            default:
                writer.WriteString("responseFormat", options.ResponseFormat.GetType().FullName);
                break;
        }

        switch (options.ToolMode)
        {
            case null:
                break;
            case RequiredChatToolMode required:
                writer.WriteString("toolMode", "required:" + required.RequiredFunctionName);
                break;
            case NoneChatToolMode:
                writer.WriteString("toolMode", "none");
                break;
            case AutoChatToolMode:
                writer.WriteString("toolMode", "auto");
                break;
            default:
                writer.WriteString("toolMode", options.ToolMode.GetType().FullName);
                break;
        }

        if (options.AllowMultipleToolCalls is { } allowMultiple)
        {
            writer.WriteBoolean("allowMultipleToolCalls", allowMultiple);
        }

        if (options.Tools is { Count: > 0 } tools)
        {
            writer.WriteStartArray("tools");
            foreach (var tool in tools)
            {
                WriteTool(writer, tool);
            }

            writer.WriteEndArray();
        }

        if (options.Reasoning is { } reasoning)
        {
            writer.WriteStartObject("reasoning");
            if (reasoning.Effort is { } effort)
            {
                writer.WriteString("effort", effort.ToString());
            }

            if (reasoning.Output is { } output)
            {
                writer.WriteString("output", output.ToString());
            }

            writer.WriteEndObject();
        }

        WriteAdditionalProperties(writer, options.AdditionalProperties, json);
        writer.WriteEndObject();
    }

    private static void WriteTool(Utf8JsonWriter writer, AITool? tool)
    {
        if (tool is null)
        {
            writer.WriteNullValue();
            return;
        }

        writer.WriteStartObject();
        writer.WriteString("type", tool.GetType().FullName);
        writer.WriteString("name", tool.Name);
        WriteText(writer, "description", tool.Description, "A tool's description");
        if (tool is AIFunctionDeclaration function)
        {
            writer.WritePropertyName("schema");
            function.JsonSchema.WriteTo(writer);
            if (function.ReturnJsonSchema is { } returns)
            {
                writer.WritePropertyName("returns");
                returns.WriteTo(writer);
            }
        }

        writer.WriteEndObject();
    }

    // Provider-specific settings travel in AdditionalProperties and may change the output: they are part of the
    // key, in ordinal order, except this library's own dialogue.* controls.
    private static void WriteAdditionalProperties(Utf8JsonWriter writer, AdditionalPropertiesDictionary? properties, JsonSerializerOptions json)
    {
        if (properties is null)
        {
            return;
        }

        var names = properties.Keys.Where(k => !RequestControls.IsControlProperty(k)).Order(StringComparer.Ordinal).ToList();
        if (names.Count == 0)
        {
            return;
        }

        writer.WriteStartObject("additionalProperties");
        foreach (var name in names)
        {
            writer.WritePropertyName(name);
            WriteValue(writer, properties[name], json, $"ChatOptions.AdditionalProperties[\"{name}\"]", "options");
        }

        writer.WriteEndObject();
    }

    private static void WriteMessage(Utf8JsonWriter writer, ChatMessage message, int index, JsonSerializerOptions json)
    {
        writer.WriteStartObject();
        WriteText(writer, "role", message.Role.Value, $"messages[{index}].Role", "messages");
        WriteText(writer, "author", message.AuthorName, $"messages[{index}].AuthorName", "messages");
        writer.WriteStartArray("contents");
        foreach (var content in message.Contents)
        {
            WriteContent(writer, content, index, json);
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    private static void WriteContent(Utf8JsonWriter writer, AIContent? content, int index, JsonSerializerOptions json)
    {
        switch (content)
        {
            case null:
                break;
            case TextContent text:
                var normalized = TextNormalizer.Normalize(text.Text ?? string.Empty, $"messages[{index}]", "messages");
                if (normalized.Length > 0)
                {
                    writer.WriteStartObject();
                    writer.WriteString("text", normalized);
                    writer.WriteEndObject();
                }

                break;
            case TextReasoningContent or UsageContent:
                // The model's reasoning and usage reports are not conversation text.
                break;
            case FunctionCallContent call:
                writer.WriteStartObject();
                writer.WriteString("call", call.Name);
                writer.WritePropertyName("arguments");
                WriteValue(writer, call.Arguments, json, $"messages[{index}] function call arguments", "messages");
                writer.WriteEndObject();
                break;
            case FunctionResultContent result:
                writer.WriteStartObject();
                writer.WritePropertyName("result");
                WriteValue(writer, result.Result, json, $"messages[{index}] function result", "messages");
                writer.WriteEndObject();
                break;
            case DataContent data:
                writer.WriteStartObject();
                writer.WriteString("data", data.MediaType);
                writer.WriteString("sha256", Convert.ToHexStringLower(SHA256.HashData(data.Data.Span)));
                writer.WriteEndObject();
                break;
            case UriContent uri:
                writer.WriteStartObject();
                writer.WriteString("uri", uri.Uri.OriginalString);
                writer.WriteString("mediaType", uri.MediaType);
                writer.WriteEndObject();
                break;
            default:
                writer.WriteStartObject();
                writer.WriteString("content", content.GetType().FullName);
                writer.WritePropertyName("value");
                WriteValue(writer, content, json, $"messages[{index}] content of type {content.GetType().Name}", "messages");
                writer.WriteEndObject();
                break;
        }
    }

    private static void WriteValue(Utf8JsonWriter writer, object? value, JsonSerializerOptions json, string what, string paramName)
    {
        if (value is null)
        {
            writer.WriteNullValue();
            return;
        }

        try
        {
            JsonSerializer.Serialize(writer, value, json.GetTypeInfo(value.GetType()));
        }
        catch (NotSupportedException ex)
        {
            throw new ArgumentException(
                $"{what} holds a {value.GetType().FullName}, which the JsonSerializerOptions cannot serialize into the cache key. " +
                "Register the type with DialogueCachingChatClient.JsonSerializerOptions, or send the request with dialogue.cache = bypass.",
                paramName, ex);
        }
    }

    private static void WriteText(Utf8JsonWriter writer, string name, string? text, string what, string paramName = "options")
    {
        if (text is not null)
        {
            writer.WriteString(name, TextNormalizer.Normalize(text, what, paramName));
        }
    }

    private static void WriteNumber(Utf8JsonWriter writer, string name, float? value)
    {
        if (value is { } number)
        {
            writer.WriteNumber(name, number);
        }
    }

    private static void WriteNumber(Utf8JsonWriter writer, string name, int? value)
    {
        if (value is { } number)
        {
            writer.WriteNumber(name, number);
        }
    }
}
