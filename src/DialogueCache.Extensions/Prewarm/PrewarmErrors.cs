using System.Text.Json;

namespace Dialogue.Caching.Prewarm;

/// <summary>
/// Builds the <see cref="DialogueCachePrewarmException"/>s of the loaders, so reasons read alike. Reasons never
/// quote a key or a value: keys carry prompts (user data), and the messages end up in logs. The line and the
/// position locate the entry.
/// </summary>
internal static class PrewarmErrors
{
    /// <summary>An error at <paramref name="location"/>. The path is added later by the cache.</summary>
    public static DialogueCachePrewarmException At(TextLocation location, string reason, Exception? innerException = null) =>
        new(reason, path: null, location.Line, location.Position, innerException);

    /// <summary>
    /// Wraps an error of <see cref="Utf8JsonReader"/>. Its line and position are 0-based; the line is
    /// <paramref name="line"/> when the reader saw a single line (JSON Lines), else the reader's own.
    /// </summary>
    public static DialogueCachePrewarmException FromReader(JsonException exception, string prefix, long? line = null)
    {
        // The reader's message ends with its own 0-based " LineNumber: 0 | BytePositionInLine: 5.",
        // which would contradict the 1-based place in ours.
        var message = exception.Message;
        var suffix = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        if (suffix > 0)
        {
            message = message[..suffix];
        }

        var location = new TextLocation(
            line ?? (exception.LineNumber ?? -1) + 1,
            (exception.BytePositionInLine ?? -1) + 1);
        return At(location, $"{prefix}: {message}", exception);
    }

    /// <summary>What a token is, for "but it is ..." in a reason.</summary>
    public static string Describe(JsonTokenType tokenType) => tokenType switch
    {
        JsonTokenType.String => "a string",
        JsonTokenType.Number => "a number",
        JsonTokenType.True or JsonTokenType.False => "a boolean",
        JsonTokenType.Null => "null",
        JsonTokenType.StartObject => "an object",
        JsonTokenType.StartArray => "an array",
        _ => tokenType.ToString(),
    };
}
