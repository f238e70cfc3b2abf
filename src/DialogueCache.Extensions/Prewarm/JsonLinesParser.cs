using System.Text.Json;

namespace Dialogue.Caching.Prewarm;

/// <summary>
/// Parses JSON Lines, one <c>{"key": "...", "value": "...", "ttlSeconds": 30}</c> per line. Each complete
/// line is parsed on its own, so a line number is simply counted and the reader's positions are
/// already relative to the line.
/// </summary>
internal sealed class JsonLinesParser : IChunkParser<DialogueCacheEntry>
{
    private const string ExpectedShape = "{\"key\": \"...\", \"value\": \"...\"}";

    private long _lineNumber;

    /// <summary>
    /// Parses the complete lines in <paramref name="chunk"/> (on the final block, the last line too), adds
    /// their entries to <paramref name="batch"/> and consumes them. Blank lines are skipped.
    /// </summary>
    /// <exception cref="DialogueCachePrewarmException">A line is not a valid entry.</exception>
    public void Parse(Utf8ChunkReader chunk, List<DialogueCacheEntry> batch)
    {
        var data = chunk.Data;
        var consumed = 0;
        while (consumed < data.Length)
        {
            var rest = data[consumed..];
            var end = rest.IndexOf((byte)'\n');
            if (end < 0 && !chunk.IsFinalBlock)
            {
                break; // an incomplete line: wait for more
            }

            var line = end < 0 ? rest : rest[..end];
            if (line.EndsWith("\r"u8))
            {
                line = line[..^1]; // "\r\n" ends a line as "\n" does; a position must not depend on which
            }

            _lineNumber++;
            if (line.IndexOfAnyExcept(" \t\r"u8) >= 0)
            {
                batch.Add(ParseLine(line, _lineNumber));
            }

            consumed += end < 0 ? rest.Length : end + 1;
        }

        chunk.Advance(consumed);
    }

    private static DialogueCacheEntry ParseLine(ReadOnlySpan<byte> line, long lineNumber)
    {
        var reader = new Utf8JsonReader(line, isFinalBlock: true, new JsonReaderState() /* strict JSON: a line is data written by a program, not by hand */);
        var objectEnded = false;
        try
        {
            reader.Read();
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                throw Error(ref reader, lineNumber, $"the line must be a JSON object like {ExpectedShape}, but it is {PrewarmErrors.Describe(reader.TokenType)}");
            }

            var objectStart = reader.TokenStartIndex;
            string? key = null;
            string? value = null;
            TimeSpan? ttl = null;
            var seen = Property.None;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var property = Identify(ref reader);
                if (property == Property.None)
                {
                    reader.Skip(); // unknown properties are for other tools
                    continue;
                }

                if ((seen & property) != 0)
                {
                    throw Error(ref reader, lineNumber, $"the line has more than one \"{Name(property)}\" property");
                }

                seen |= property;
                reader.Read();
                switch (property)
                {
                    case Property.Key:
                        key = ReadKey(ref reader, lineNumber);
                        break;
                    case Property.Value:
                        value = ReadValue(ref reader, lineNumber);
                        break;
                    default:
                        ttl = ReadTtl(ref reader, lineNumber);
                        break;
                }
            }

            objectEnded = true;
            if (key is null || value is null)
            {
                var reason = $"the line has no \"{(key is null ? "key" : "value")}\" property; expected {ExpectedShape}";
                throw PrewarmErrors.At(new TextLocation(lineNumber, objectStart + 1), reason);
            }

            // Anything but whitespace after the object makes the reader throw.
            reader.Read();
            return new DialogueCacheEntry(key, value, ttl);
        }
        catch (JsonException exception)
        {
            throw PrewarmErrors.FromReader(exception, objectEnded
                ? "unexpected content after the end of the JSON object on this line"
                : "the JSON is malformed", lineNumber);
        }
    }

    private static string ReadKey(ref Utf8JsonReader reader, long lineNumber)
    {
        if (reader.TokenType != JsonTokenType.String)
        {
            throw Error(ref reader, lineNumber, $"\"key\" must be a string, but it is {PrewarmErrors.Describe(reader.TokenType)}");
        }

        var key = ReadString(ref reader, lineNumber, Property.Key);
        return key.Length > 0
            ? key
            : throw Error(ref reader, lineNumber, "\"key\" is an empty string; keys must not be empty");
    }

    // Reasons name no key: keys carry prompts (user data), and the line and position find the entry.
    private static string ReadValue(ref Utf8JsonReader reader, long lineNumber) =>
        reader.TokenType == JsonTokenType.String
            ? ReadString(ref reader, lineNumber, Property.Value)
            : throw Error(ref reader, lineNumber, $"\"value\" is {PrewarmErrors.Describe(reader.TokenType)}; values must be strings");

    private static TimeSpan ReadTtl(ref Utf8JsonReader reader, long lineNumber)
    {
        if (reader.TokenType != JsonTokenType.Number)
        {
            throw Error(ref reader, lineNumber, $"\"ttlSeconds\" must be a positive number of seconds, but it is {PrewarmErrors.Describe(reader.TokenType)}");
        }

        // The reader parses 1e400 as infinity.
        if (!reader.TryGetDouble(out var seconds) || seconds > TimeSpan.MaxValue.TotalSeconds)
        {
            throw Error(ref reader, lineNumber, $"\"ttlSeconds\" is too large; the most is {TimeSpan.MaxValue.TotalSeconds:0} seconds (TimeSpan.MaxValue)");
        }

        if (!(seconds > 0))
        {
            throw Error(ref reader, lineNumber, $"\"ttlSeconds\" must be a positive number of seconds, but it is {seconds}");
        }

        // TimeSpan.FromSeconds would overflow right at the maximum, and would round a tiny positive TTL
        // to zero, which means "no TTL" to no one: keep at least one tick.
        var ticks = Math.Round(seconds * TimeSpan.TicksPerSecond);
        return ticks >= long.MaxValue ? TimeSpan.MaxValue : TimeSpan.FromTicks(Math.Max(1L, (long)ticks));
    }

    /// <summary>Reads the string of <paramref name="property"/>.</summary>
    private static string ReadString(ref Utf8JsonReader reader, long lineNumber, Property property)
    {
        try
        {
            return reader.GetString()!;
        }
        catch (InvalidOperationException exception)
        {
            // The reader does not validate UTF-8 or escaped surrogates inside strings; decoding does.
            var what = property == Property.Key ? "\"key\"" : "\"value\"";
            throw Error(ref reader, lineNumber, $"{what} is not valid text: {exception.Message}", exception);
        }
    }

    private static Property Identify(ref Utf8JsonReader reader) =>
        reader.ValueTextEquals("key"u8) ? Property.Key
        : reader.ValueTextEquals("value"u8) ? Property.Value
        : reader.ValueTextEquals("ttlSeconds"u8) ? Property.TtlSeconds
        : Property.None;

    private static string Name(Property property) => property switch
    {
        Property.Key => "key",
        Property.Value => "value",
        _ => "ttlSeconds",
    };

    private static DialogueCachePrewarmException Error(ref Utf8JsonReader reader, long lineNumber, string reason, Exception? innerException = null) =>
        PrewarmErrors.At(new TextLocation(lineNumber, reader.TokenStartIndex + 1), reason, innerException);

    [Flags]
    private enum Property
    {
        None = 0,
        Key = 1,
        Value = 2,
        TtlSeconds = 4,
    }
}
