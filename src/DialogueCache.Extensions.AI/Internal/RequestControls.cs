using System.Text.Json;
using Microsoft.Extensions.AI;

namespace Dialogue.Caching.AI.Internal;

/// <summary>
/// Reads the <c>dialogue.*</c> control properties of a request's <see cref="ChatOptions.AdditionalProperties"/>
/// and removes them from the options handed to the model (a provider might forward unknown properties).
/// Values may be .NET values or <see cref="JsonElement"/>s (options deserialized from a web request).
/// </summary>
internal static class RequestControls
{
    private static readonly string[] ControlProperties =
    [
        DialogueCachingChatClient.CharacterProperty,
        DialogueCachingChatClient.ContextProperty,
        DialogueCachingChatClient.CacheModeProperty,
        DialogueCachingChatClient.TtlProperty,
    ];

    public static bool IsControlProperty(string name) => Array.IndexOf(ControlProperties, name) >= 0;

    public static CacheMode ReadMode(ChatOptions? options)
    {
        if (!TryGet(options, DialogueCachingChatClient.CacheModeProperty, out var value))
        {
            return CacheMode.Default;
        }

        var text = value switch
        {
            string s => s,
            JsonElement { ValueKind: JsonValueKind.String } e => e.GetString(),
            _ => null,
        };

        if (string.Equals(text, DialogueCachingChatClient.BypassMode, StringComparison.OrdinalIgnoreCase))
        {
            return CacheMode.Bypass;
        }

        if (string.Equals(text, DialogueCachingChatClient.RefreshMode, StringComparison.OrdinalIgnoreCase))
        {
            return CacheMode.Refresh;
        }

        throw new ArgumentException(
            $"ChatOptions.AdditionalProperties[\"{DialogueCachingChatClient.CacheModeProperty}\"] is {Describe(value)}; " +
            $"expected \"{DialogueCachingChatClient.BypassMode}\" (no read, no write) or \"{DialogueCachingChatClient.RefreshMode}\" " +
            "(call the model and replace the entry), or leave it out to use the cache.",
            nameof(options));
    }

    public static TimeSpan? ReadTtl(ChatOptions? options)
    {
        if (!TryGet(options, DialogueCachingChatClient.TtlProperty, out var value))
        {
            return null;
        }

        double? seconds = value switch
        {
            TimeSpan span => span.TotalSeconds,
            int i => i,
            long l => l,
            double d => d,
            float f => f,
            decimal m => (double)m,
            JsonElement { ValueKind: JsonValueKind.Number } e => e.GetDouble(),
            _ => null,
        };

        if (seconds is null)
        {
            throw new ArgumentException(
                $"ChatOptions.AdditionalProperties[\"{DialogueCachingChatClient.TtlProperty}\"] is {Describe(value)}; " +
                "expected a TimeSpan or a number of seconds.",
                nameof(options));
        }

        // TimeSpan.MaxValue.TotalSeconds is the largest lifetime a TimeSpan can hold.
        if (!(seconds > 0) || seconds > TimeSpan.MaxValue.TotalSeconds)
        {
            throw new ArgumentOutOfRangeException(
                nameof(options),
                $"ChatOptions.AdditionalProperties[\"{DialogueCachingChatClient.TtlProperty}\"] must be greater than zero (was {Describe(value)}).");
        }

        return value is TimeSpan exact ? exact : TimeSpan.FromSeconds(seconds.Value);
    }

    /// <summary>Reads <c>dialogue.character</c> or <c>dialogue.context</c>: absent, or a string.</summary>
    public static string? ReadText(ChatOptions? options, string property, bool allowEmpty)
    {
        if (!TryGet(options, property, out var value))
        {
            return null;
        }

        var text = value switch
        {
            string s => s,
            JsonElement { ValueKind: JsonValueKind.String } e => e.GetString(),
            _ => throw new ArgumentException(
                $"ChatOptions.AdditionalProperties[\"{property}\"] is {Describe(value)}; expected a string.", nameof(options)),
        };

        if (!allowEmpty && string.IsNullOrWhiteSpace(text))
        {
            throw new ArgumentException(
                $"ChatOptions.AdditionalProperties[\"{property}\"] must contain something other than white space.", nameof(options));
        }

        return text;
    }

    /// <summary>The options for the model: the same object when it carries no control property, else a copy without them.</summary>
    public static ChatOptions? Strip(ChatOptions? options)
    {
        if (options?.AdditionalProperties is not { Count: > 0 } properties || !properties.Keys.Any(IsControlProperty))
        {
            return options;
        }

        var copy = options.Clone();
        var kept = properties.Where(p => !IsControlProperty(p.Key)).ToList();
        copy.AdditionalProperties = kept.Count == 0 ? null : new AdditionalPropertiesDictionary(kept);
        return copy;
    }

    // A property set to null counts as absent.
    private static bool TryGet(ChatOptions? options, string property, out object value)
    {
        if (options?.AdditionalProperties is { } properties && properties.TryGetValue(property, out var found) && found is not null)
        {
            value = found;
            return true;
        }

        value = null!;
        return false;
    }

    private static string Describe(object value) => value switch
    {
        string s => $"\"{s}\"",
        JsonElement e => $"the JSON {e.ValueKind} {e.GetRawText()}",
        IFormattable f => $"{f.ToString(null, System.Globalization.CultureInfo.InvariantCulture)} ({value.GetType().Name})",
        _ => $"a {value.GetType().FullName}",
    };
}
