using System.Buffers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.Extensions.AI;

namespace Dialogue.Caching.AI.Internal;

/// <summary>
/// Reads and writes the JSON an entry is stored as:
/// <c>{"format":1,"fills":n,"variants":[{"digest":..,"latencyTicks":..,"inputTokens":..,"outputTokens":..,"response":{..}}]}</c>,
/// with <c>"updates":[..]</c> in place of <c>"response"</c> for a stream stored update by update. Responses and
/// updates are serialized with the client's <see cref="JsonSerializerOptions"/> (by default
/// <see cref="AIJsonUtilities.DefaultOptions"/>, which knows every built-in content type).
/// </summary>
internal sealed class ChatEntrySerializer
{
    private readonly JsonTypeInfo<ChatResponse> _response;
    private readonly JsonTypeInfo<ChatResponseUpdate> _update;
    private readonly JsonTypeInfo<IReadOnlyList<ChatResponseUpdate>> _updates;

    public ChatEntrySerializer(JsonSerializerOptions options)
    {
        options.MakeReadOnly();
        Options = options;
        _response = (JsonTypeInfo<ChatResponse>)options.GetTypeInfo(typeof(ChatResponse));
        _update = (JsonTypeInfo<ChatResponseUpdate>)options.GetTypeInfo(typeof(ChatResponseUpdate));
        _updates = (JsonTypeInfo<IReadOnlyList<ChatResponseUpdate>>)options.GetTypeInfo(typeof(IReadOnlyList<ChatResponseUpdate>));
    }

    public JsonSerializerOptions Options { get; }

    public CachedChatVariant CreateVariant(ChatResponse response, IReadOnlyList<ChatResponseUpdate>? updates, TimeSpan latency) => new()
    {
        Digest = Digest(response),
        Latency = latency < TimeSpan.Zero ? TimeSpan.Zero : latency,
        InputTokens = Math.Max(0, response.Usage?.InputTokenCount ?? 0),
        OutputTokens = Math.Max(0, response.Usage?.OutputTokenCount ?? 0),
        IsUpdates = updates is not null,
        Payload = updates is not null
            ? JsonSerializer.SerializeToElement(updates, _updates)
            : JsonSerializer.SerializeToElement(response, _response),
    };

    public static string Serialize(CachedChatEntry entry)
    {
        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteNumber("format", CanonicalPrompt.FormatVersion);
            writer.WriteNumber("fills", entry.Fills);
            writer.WriteStartArray("variants");
            foreach (var variant in entry.Variants)
            {
                writer.WriteStartObject();
                writer.WriteString("digest", variant.Digest);
                writer.WriteNumber("latencyTicks", variant.Latency.Ticks);
                writer.WriteNumber("inputTokens", variant.InputTokens);
                writer.WriteNumber("outputTokens", variant.OutputTokens);
                writer.WritePropertyName(variant.IsUpdates ? "updates" : "response");
                variant.Payload.WriteTo(writer);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>Parses a stored entry; <see langword="null"/> for anything this version did not write.</summary>
    public static CachedChatEntry? TryParse(string json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object
                || !root.TryGetProperty("format", out var format) || !format.TryGetInt32(out var version) || version != CanonicalPrompt.FormatVersion
                || !root.TryGetProperty("fills", out var fillsElement) || !fillsElement.TryGetInt32(out var fills)
                || !root.TryGetProperty("variants", out var variantsElement) || variantsElement.ValueKind != JsonValueKind.Array)
            {
                return null;
            }

            var variants = new List<CachedChatVariant>(variantsElement.GetArrayLength());
            foreach (var item in variantsElement.EnumerateArray())
            {
                var isUpdates = item.TryGetProperty("updates", out var payload);
                if (!isUpdates && !item.TryGetProperty("response", out payload))
                {
                    return null;
                }

                variants.Add(new CachedChatVariant
                {
                    Digest = item.GetProperty("digest").GetString() ?? string.Empty,
                    Latency = TimeSpan.FromTicks(Math.Max(0, item.GetProperty("latencyTicks").GetInt64())),
                    InputTokens = Math.Max(0, item.GetProperty("inputTokens").GetInt64()),
                    OutputTokens = Math.Max(0, item.GetProperty("outputTokens").GetInt64()),
                    IsUpdates = isUpdates,
                    Payload = payload.Clone(),
                });
            }

            return variants.Count == 0 ? null : new CachedChatEntry(fills, variants);
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            return null;
        }
    }

    public ChatResponse ToResponse(CachedChatVariant variant) => variant.IsUpdates
        ? ReadUpdates(variant).ToChatResponse()
        : variant.Payload.Deserialize(_response) ?? throw new JsonException("A cached response is null.");

    public IReadOnlyList<ChatResponseUpdate> ToUpdates(CachedChatVariant variant) => variant.IsUpdates
        ? ReadUpdates(variant)
        : [.. ToResponse(variant).ToChatResponseUpdates()];

    /// <summary>A deep copy, for a caller served by another caller's model call: no two callers share objects.</summary>
    public ChatResponse Copy(ChatResponse response) =>
        JsonSerializer.Deserialize(JsonSerializer.SerializeToUtf8Bytes(response, _response), _response)!;

    /// <inheritdoc cref="Copy(ChatResponse)"/>
    public ChatResponseUpdate Copy(ChatResponseUpdate update) =>
        JsonSerializer.Deserialize(JsonSerializer.SerializeToUtf8Bytes(update, _update), _update)!;

    private static string Digest(ChatResponse response)
    {
        string text;
        try
        {
            text = TextNormalizer.Normalize(response.Text, "The response", nameof(response));
        }
        catch (ArgumentException)
        {
            // Invalid UTF-16 from the model: tell variants apart by the raw text instead.
            text = response.Text;
        }

        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
    }

    private IReadOnlyList<ChatResponseUpdate> ReadUpdates(CachedChatVariant variant) =>
        variant.Payload.Deserialize(_updates) ?? throw new JsonException("A cached update list is null.");
}
