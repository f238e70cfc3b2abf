using WebSample.Internal;

namespace WebSample.Admin;

/// <summary>
/// The document of a <c>POST /cache/prewarm</c>, copied to a temporary file so the cache streams it (a large file
/// never sits in memory whole) and reports errors with line and position.
/// </summary>
internal sealed class PrewarmUpload : IAsyncDisposable
{
    private const string Accepted =
        "Send a JSON body (Content-Type: application/json; an object {\"key\": \"value\"} as GET /cache/export writes, " +
        "or an array of NPC lines {character, context, prompt, response} as prewarm.json holds), JSON Lines " +
        "(Content-Type: application/x-ndjson), or a file as multipart/form-data in a field named 'file' (.json or .jsonl).";

    private PrewarmUpload(string path, string name, bool jsonLines)
    {
        Path = path;
        Name = name;
        IsJsonLines = jsonLines;
    }

    /// <summary>The temporary copy.</summary>
    public string Path { get; }

    /// <summary>What to call the document in messages: the uploaded file's name, or "the request body".</summary>
    public string Name { get; }

    /// <summary>Whether the document is JSON Lines (by content type or file extension).</summary>
    public bool IsJsonLines { get; }

    /// <summary>Copies the request's document to a temporary file; returns the problem to answer with when the request has none.</summary>
    public static async Task<(PrewarmUpload? Upload, IResult? Problem)> ReadAsync(HttpContext context, long maxBytes)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (RequestBodies.Limit(context, maxBytes) is { } tooLarge)
        {
            return (null, tooLarge);
        }

        var request = context.Request;
        try
        {
            if (request.HasFormContentType)
            {
                var form = await request.ReadFormAsync(context.RequestAborted).ConfigureAwait(false);
                if (form.Files.Count != 1 || form.Files.GetFile("file") is not { } file)
                {
                    return (null, Problems.BadRequest(
                        $"A multipart prewarm upload needs exactly one file, in a field named 'file' (got {form.Files.Count} files)."));
                }

                var jsonLines = string.Equals(System.IO.Path.GetExtension(file.FileName), ".jsonl", StringComparison.OrdinalIgnoreCase);
                var stream = file.OpenReadStream();
                await using (stream.ConfigureAwait(false))
                {
                    return await CopyAsync(stream, $"the file '{System.IO.Path.GetFileName(file.FileName)}'", jsonLines, context.RequestAborted)
                        .ConfigureAwait(false);
                }
            }

            var isJsonLines = IsJsonLinesType(request.ContentType);
            if (!isJsonLines && !request.HasJsonContentType())
            {
                return (null, Problems.UnsupportedMediaType(
                    $"POST /cache/prewarm does not read '{request.ContentType ?? "(no Content-Type)"}'. {Accepted}"));
            }

            return await CopyAsync(request.Body, "the request body", isJsonLines, context.RequestAborted).ConfigureAwait(false);
        }
        catch (BadHttpRequestException exception) when (exception.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return (null, Problems.TooLarge(maxBytes));
        }
        catch (InvalidDataException exception)
        {
            // A malformed multipart body (bad boundary, truncated part).
            return (null, Problems.BadRequest($"The multipart body could not be read: {exception.Message}"));
        }
    }

    /// <summary>How the document is to be read: JSON Lines by type or extension, else by its first character.</summary>
    public async Task<PrewarmFormat?> DetectAsync(CancellationToken cancellationToken)
    {
        if (IsJsonLines)
        {
            return PrewarmFormat.JsonLines;
        }

        var file = new FileStream(Path, FileMode.Open, FileAccess.Read, FileShare.Read, 4096, FileOptions.Asynchronous);
        await using (file.ConfigureAwait(false))
        {
            var buffer = new byte[4096];
            int read;
            var first = true;
            while ((read = await file.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
            {
                var span = buffer.AsSpan(0, read);
                if (first && span.StartsWith("\uFEFF"u8))
                {
                    span = span[3..];
                }

                first = false;
                var trimmed = span.TrimStart(" \t\r\n"u8);
                if (!trimmed.IsEmpty)
                {
                    return trimmed[0] switch
                    {
                        (byte)'{' => PrewarmFormat.JsonObject,
                        (byte)'[' => PrewarmFormat.NpcLines,
                        _ => null,
                    };
                }
            }
        }

        return null;
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync()
    {
        try
        {
            File.Delete(Path);
        }
        catch (IOException)
        {
            // The temp folder is cleaned by the OS too; a file still open elsewhere is left to it.
        }

        return ValueTask.CompletedTask;
    }

    private static async Task<(PrewarmUpload? Upload, IResult? Problem)> CopyAsync(Stream source, string name, bool jsonLines,
        CancellationToken cancellationToken)
    {
        // The loader is picked by extension (.jsonl: JSON Lines, else a JSON object), as for files on disk.
        var path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"websample-prewarm-{Guid.NewGuid():N}{(jsonLines ? ".jsonl" : ".json")}");
        var upload = new PrewarmUpload(path, name, jsonLines);
        try
        {
            var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, FileOptions.Asynchronous);
            await using (file.ConfigureAwait(false))
            {
                await source.CopyToAsync(file, cancellationToken).ConfigureAwait(false);
            }

            if (new FileInfo(path).Length == 0)
            {
                await upload.DisposeAsync().ConfigureAwait(false);
                return (null, Problems.BadRequest($"The prewarm document ({name}) is empty. {Accepted}"));
            }

            return (upload, null);
        }
        catch
        {
            await upload.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private static bool IsJsonLinesType(string? contentType)
    {
        if (contentType is null)
        {
            return false;
        }

        var mediaType = contentType.Split(';', 2)[0].Trim();
        return mediaType.Equals("application/x-ndjson", StringComparison.OrdinalIgnoreCase)
            || mediaType.Equals("application/jsonl", StringComparison.OrdinalIgnoreCase)
            || mediaType.Equals("application/x-jsonlines", StringComparison.OrdinalIgnoreCase);
    }
}
