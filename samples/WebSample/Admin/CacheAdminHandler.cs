using Dialogue.Caching;
using Microsoft.Extensions.Options;
using WebSample.Internal;
using WebSample.Prewarm;
using WebSample.Stats;

namespace WebSample.Admin;

/// <summary>The admin endpoints under <c>/cache</c> (behind <see cref="AdminKeyFilter"/>), over the injected cache.</summary>
/// <param name="cache">The cache registered with <c>AddDialogueCache</c>.</param>
/// <param name="npcLines">Reads NPC-lines documents into the chat middleware's entries.</param>
/// <param name="prewarm">Upload limits.</param>
/// <param name="logger">Where admin actions are logged (counts, never keys or patterns).</param>
internal sealed class CacheAdminHandler(IDialogueCache cache, NpcLinesLoader npcLines, IOptions<PrewarmOptions> prewarm,
    ILogger<CacheAdminHandler> logger)
{
    /// <summary>The path before a key in <c>DELETE /cache/entries/{key}</c>.</summary>
    public const string EntriesPrefix = "/cache/entries/";

    /// <summary><c>GET /cache/stats</c>: the analytics, top keys whole.</summary>
    public IResult Stats() => TypedResults.Ok(CacheStatsResponse.From(cache.Analytics()));

    /// <summary><c>DELETE /cache/entries/{key}</c>: 204 when the entry was there, 404 when not.</summary>
    public IResult DeleteEntry(HttpContext context, string? routeKey)
    {
        var key = RawPath.After(context, EntriesPrefix) ?? routeKey;
        if (string.IsNullOrEmpty(key))
        {
            return Problems.BadRequest("The key is empty: DELETE /cache/entries/{key} with the key percent-encoded " +
                "(keys are in GET /cache/stats or GET /cache/export).");
        }

        var removed = cache.Invalidate(key);
        Log.EntryInvalidated(logger, removed);
        return removed
            ? TypedResults.NoContent()
            : Problems.NotFound("No entry has that key (it may have expired or been evicted). Keys are case-sensitive and percent-decoded once.");
    }

    /// <summary><c>DELETE /cache/entries?pattern=...</c>: removes the entries whose key contains the pattern.</summary>
    public IResult DeleteByPattern(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var patterns = context.Request.Query["pattern"];
        if (patterns.Count == 0)
        {
            return Problems.BadRequest("The query parameter 'pattern' is required: DELETE /cache/entries?pattern=npc:blacksmith " +
                "removes the entries whose key contains it. One entry: DELETE /cache/entries/{key}; everything: DELETE /cache.");
        }

        if (patterns.Count > 1)
        {
            return Problems.BadRequest($"Give 'pattern' once (it was given {patterns.Count} times).");
        }

        var pattern = patterns[0];
        if (string.IsNullOrEmpty(pattern))
        {
            return Problems.BadRequest("'pattern' must not be empty (it would match every key); to remove everything use DELETE /cache.");
        }

        var removed = cache.InvalidatePattern(pattern);
        Log.PatternInvalidated(logger, removed, pattern.Length);
        return TypedResults.Ok(new InvalidationResult(removed));
    }

    /// <summary><c>DELETE /cache</c>: removes every entry and resets the analytics.</summary>
    public IResult Clear()
    {
        cache.Clear();
        Log.CacheCleared(logger);
        return TypedResults.NoContent();
    }

    /// <summary><c>POST /cache/prewarm</c>: stores every entry of the posted document, or none when it is bad.</summary>
    public async Task<IResult> PrewarmAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var (upload, problem) = await PrewarmUpload.ReadAsync(context, prewarm.Value.MaxUploadBytes).ConfigureAwait(false);
        if (upload is null)
        {
            return problem!;
        }

        await using (upload.ConfigureAwait(false))
        {
            var format = await upload.DetectAsync(context.RequestAborted).ConfigureAwait(false);
            if (format is null)
            {
                return Problems.BadRequest($"Nothing was stored: the prewarm document ({upload.Name}) must be a JSON object {{\"key\": \"value\"}} " +
                    "or a JSON array of NPC lines [{\"character\", \"context\", \"prompt\", \"response\"}].");
            }

            try
            {
                var stored = await cache.PrewarmFromFileAsync(upload.Path, format == PrewarmFormat.NpcLines ? npcLines : null,
                    context.RequestAborted).ConfigureAwait(false);
                var name = FormatName(format.Value);
                Log.PrewarmPosted(logger, stored, name);
                return TypedResults.Ok(new PrewarmResult(stored, name));
            }
            catch (DialogueCachePrewarmException exception)
            {
                return Problems.BadRequest($"Nothing was stored: {Describe(exception, upload.Name)}");
            }
        }
    }

    private static string FormatName(PrewarmFormat format) => format switch
    {
        PrewarmFormat.JsonLines => "json-lines",
        PrewarmFormat.NpcLines => "npc-lines",
        _ => "json-object",
    };

    // The cache names the temporary copy; the client knows the document by the name it sent.
    private static string Describe(DialogueCachePrewarmException exception, string name)
    {
        var reason = exception.Reason;
        var cut = reason.IndexOf(" Path:", StringComparison.Ordinal);
        if (cut < 0)
        {
            cut = reason.IndexOf(" LineNumber:", StringComparison.Ordinal);
        }

        reason = (cut > 0 ? reason[..cut] : reason).TrimEnd();
        return exception.LineNumber > 0
            ? $"{name}, line {exception.LineNumber}, position {exception.Position}: {reason}"
            : $"{name}: {reason}";
    }
}
