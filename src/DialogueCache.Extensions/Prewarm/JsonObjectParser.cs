using System.Text.Json;

namespace Dialogue.Caching.Prewarm;

/// <summary>
/// Parses the JSON object format <c>{"key": "value", ...}</c> chunk by chunk. <see cref="Utf8JsonReader"/>
/// is a ref struct and cannot live across an await, so each chunk is parsed synchronously here and its
/// state carried to the next chunk in a <see cref="JsonReaderState"/>.
/// </summary>
internal sealed class JsonObjectParser : IChunkParser<KeyValuePair<string, string>>
{
    // Hand-written files get comments and trailing commas; anything else is strict JSON.
    private static readonly JsonReaderOptions ReaderOptions = new()
    {
        CommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    };

    private JsonReaderState _readerState = new(ReaderOptions);
    private Expect _expect = Expect.StartObject;
    private string _key = "";

    private enum Expect
    {
        StartObject,
        KeyOrEndObject,
        Value,
        EndOfInput,
    }

    /// <summary>
    /// Parses the complete tokens in <paramref name="chunk"/>, adds their entries to <paramref name="batch"/>
    /// and consumes them. On the final block it also checks that the input was one whole object.
    /// </summary>
    /// <exception cref="DialogueCachePrewarmException">The input is not a JSON object of strings.</exception>
    public void Parse(Utf8ChunkReader chunk, List<KeyValuePair<string, string>> batch)
    {
        if (chunk.IsFinalBlock && _expect == Expect.StartObject && chunk.Data.IndexOfAnyExcept(" \t\r\n"u8) < 0)
        {
            throw PrewarmErrors.At(chunk.Locate(chunk.Data.Length), "the input is empty; expected a JSON object like {\"key\": \"value\"}");
        }

        var reader = new Utf8JsonReader(chunk.Data, chunk.IsFinalBlock, _readerState);
        try
        {
            while (reader.Read())
            {
                Handle(ref reader, chunk, batch);
            }
        }
        catch (JsonException exception)
        {
            // The reader refuses anything after the top-level value: say that in our words.
            throw PrewarmErrors.FromReader(exception, _expect == Expect.EndOfInput
                ? "unexpected content after the end of the JSON object"
                : "the JSON is malformed");
        }

        _readerState = reader.CurrentState;
        chunk.Advance(checked((int)reader.BytesConsumed));
    }

    private void Handle(ref Utf8JsonReader reader, Utf8ChunkReader chunk, List<KeyValuePair<string, string>> batch)
    {
        switch (_expect)
        {
            case Expect.KeyOrEndObject when reader.TokenType == JsonTokenType.PropertyName:
                _key = ReadString(ref reader, chunk, isKey: true);
                if (_key.Length == 0)
                {
                    throw PrewarmErrors.At(chunk.Locate(reader.TokenStartIndex), "a key is an empty string; keys must not be empty");
                }

                _expect = Expect.Value;
                break;

            case Expect.KeyOrEndObject:
                // The reader allows nothing else inside an object.
                _expect = Expect.EndOfInput;
                break;

            case Expect.Value when reader.TokenType == JsonTokenType.String:
                var value = ReadString(ref reader, chunk, isKey: false);
                batch.Add(new KeyValuePair<string, string>(_key, value));
                _expect = Expect.KeyOrEndObject;
                break;

            case Expect.Value:
                throw PrewarmErrors.At(
                    chunk.Locate(reader.TokenStartIndex),
                    $"the value is {PrewarmErrors.Describe(reader.TokenType)}; values must be strings");

            case Expect.StartObject when reader.TokenType == JsonTokenType.StartObject:
                _expect = Expect.KeyOrEndObject;
                break;

            case Expect.StartObject:
                throw PrewarmErrors.At(
                    chunk.Locate(reader.TokenStartIndex),
                    $"the top level must be a JSON object like {{\"key\": \"value\"}}, but it is {PrewarmErrors.Describe(reader.TokenType)}");

            default:
                // Unreachable: the reader throws on a second top-level value.
                throw PrewarmErrors.At(chunk.Locate(reader.TokenStartIndex), "unexpected content after the end of the JSON object");
        }
    }

    /// <summary>Reads a key (<paramref name="isKey"/>) or a value.</summary>
    private static string ReadString(ref Utf8JsonReader reader, Utf8ChunkReader chunk, bool isKey)
    {
        try
        {
            return reader.GetString()!;
        }
        catch (InvalidOperationException exception)
        {
            // The reader does not validate UTF-8 or escaped surrogates inside strings; decoding does. The
            // reason names no key: keys carry prompts (user data), and the line and position find the entry.
            var what = isKey ? "a key" : "the value";
            throw PrewarmErrors.At(chunk.Locate(reader.TokenStartIndex), $"{what} is not valid text: {exception.Message}", exception);
        }
    }
}
