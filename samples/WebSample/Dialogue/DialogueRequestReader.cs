using System.Text.Json;
using System.Text.Json.Serialization;
using WebSample.Internal;

namespace WebSample.Dialogue;

/// <summary>
/// Reads and checks the body of <c>POST /dialogue</c>. The body is read by hand rather than bound by the framework so
/// that every mistake gets an answer naming it: not JSON, an unknown or mistyped field, a missing or empty one.
/// </summary>
internal static class DialogueRequestReader
{
    /// <summary>The largest body accepted: the longest line in its limits, JSON-escaped, with room to spare.</summary>
    public const long MaxBodyBytes = 64 * 1024;

    private const string Shape = "{\"character\": \"npc:blacksmith\", \"context\": \"forge\", \"prompt\": \"Hello!\"}";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        // A misspelt field ("promt") is an error, not a silently missing prompt.
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    };

    /// <summary>Reads the request's body as a <see cref="DialogueLine"/>.</summary>
    /// <returns>The line, or the problem to answer with.</returns>
    public static async Task<(DialogueLine? Line, IResult? Problem)> ReadAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (!context.Request.HasJsonContentType())
        {
            return (null, Problems.UnsupportedMediaType($"POST /dialogue takes a JSON body with Content-Type: application/json, e.g. {Shape}."));
        }

        if (RequestBodies.Limit(context, MaxBodyBytes) is { } tooLarge)
        {
            return (null, tooLarge);
        }

        byte[] body;
        try
        {
            using var buffer = new MemoryStream();
            await context.Request.Body.CopyToAsync(buffer, context.RequestAborted).ConfigureAwait(false);
            body = buffer.ToArray();
        }
        catch (BadHttpRequestException exception) when (exception.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return (null, Problems.TooLarge(MaxBodyBytes));
        }

        if (body.AsSpan().Trim(" \t\r\n"u8).IsEmpty)
        {
            return (null, Problems.BadRequest($"The request body is empty; send a JSON object such as {Shape}."));
        }

        DialogueRequest? request;
        try
        {
            request = JsonSerializer.Deserialize<DialogueRequest>(body, Json);
        }
        catch (JsonException exception)
        {
            return (null, Problems.BadRequest($"The request body is not a valid dialogue request: {Describe(exception)} Expected {Shape}."));
        }

        if (request is null)
        {
            return (null, Problems.BadRequest($"The request body is null; send a JSON object such as {Shape}."));
        }

        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        Check(errors, "character", request.Character, DialogueLine.MaxCharacterLength, required: true,
            "who answers, e.g. \"npc:blacksmith\"");
        Check(errors, "context", request.Context, DialogueLine.MaxContextLength, required: false, "the scene");
        Check(errors, "prompt", request.Prompt, DialogueLine.MaxPromptLength, required: true, "what the player says");
        return errors.Count > 0
            ? (null, Problems.Invalid(errors))
            : (new DialogueLine(request.Character!, request.Context ?? string.Empty, request.Prompt!), null);
    }

    private static void Check(Dictionary<string, string[]> errors, string field, string? value, int maxLength, bool required, string meaning)
    {
        string? error = value switch
        {
            null when required => $"'{field}' is required: {meaning}.",
            null => null,
            _ when required && string.IsNullOrWhiteSpace(value) => $"'{field}' must not be empty or white space.",
            { Length: var length } when length > maxLength => $"'{field}' must be at most {maxLength} characters (was {length}).",
            _ when !TextChecks.IsWellFormed(value) => $"'{field}' contains invalid UTF-16 (a lone surrogate escape such as \\ud800).",
            _ => null,
        };
        if (error is not null)
        {
            errors[field] = [error];
        }
    }

    // System.Text.Json's messages name .NET types; say what the client sent instead, keeping the place.
    private static string Describe(JsonException exception)
    {
        var where = exception.Path is { Length: > 0 } path && path != "$"
            ? $" at {path}"
            : string.Empty;
        var position = exception.LineNumber is { } line
            ? $" (line {line + 1}, position {exception.BytePositionInLine + 1})"
            : string.Empty;
        var message = exception.Message;
        if (message.Contains("could not be mapped", StringComparison.Ordinal))
        {
            var start = message.IndexOf('\'', StringComparison.Ordinal);
            var end = start < 0 ? -1 : message.IndexOf('\'', start + 1);
            var name = end > start ? $" '{message[(start + 1)..end]}'" : string.Empty;
            return $"unknown field{name}{position}; the fields are character, context and prompt.";
        }

        if (exception.InnerException is InvalidOperationException { Message: var inner } && inner.Contains("UTF-16", StringComparison.Ordinal))
        {
            // The reader refuses a lone surrogate escape (\ud800 without its pair) in a string.
            return $"the value{where} is not valid UTF-16 text (a lone surrogate escape such as \\ud800){position}.";
        }

        if (message.Contains("could not be converted", StringComparison.Ordinal))
        {
            return exception.Path is "$" or null
                ? $"the body must be a JSON object{position}."
                : $"the value{where} must be a string{position}.";
        }

        // A syntax error: the reader's message says what it found (". LineNumber: .." is repeated by position).
        var cut = message.IndexOf(" Path:", StringComparison.Ordinal);
        return $"{(cut > 0 ? message[..cut] : message).TrimEnd('.')}{where}{position}.";
    }
}
