using System.Globalization;
using Dialogue.Caching;
using WebSample.Internal;

namespace WebSample.Admin;

/// <summary>
/// <c>GET /cache/export?count=N</c>: the most requested keys that are cached now, with their values, as a prewarm file
/// (a JSON object): save it and list it in <c>DialogueCache:PrewarmFiles</c>, or post it to <c>/cache/prewarm</c>.
/// </summary>
/// <param name="cache">The cache; the export is a member of <see cref="DialogueCache"/>, not of <see cref="IDialogueCache"/>.</param>
/// <param name="logger">Where exports are logged (the count only).</param>
internal sealed class CacheExportHandler(DialogueCache cache, ILogger<CacheExportHandler> logger)
{
    /// <summary>How many of the hottest keys are considered when <c>count</c> is not given.</summary>
    public const int DefaultCount = 100;

    /// <summary>The most the cache's export takes.</summary>
    public const int MaxCount = 65_536;

    /// <summary>Writes the export as the response body.</summary>
    public async Task<IResult> ExportAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var values = context.Request.Query["count"];
        var count = DefaultCount;
        if (values.Count > 1)
        {
            return Problems.BadRequest($"Give 'count' once (it was given {values.Count} times).");
        }

        if (values.Count == 1
            && (!int.TryParse(values[0], NumberStyles.None, CultureInfo.InvariantCulture, out count) || count < 1 || count > MaxCount))
        {
            return Problems.BadRequest($"'count' must be a whole number from 1 to {MaxCount:N0} (was '{values[0]}').");
        }

        context.Response.ContentType = "application/json; charset=utf-8";
        context.Response.Headers.ContentDisposition = "attachment; filename=\"dialogue-cache-export.json\"";
        context.Response.Headers.CacheControl = "no-store";
        var written = await cache.ExportHotKeysAsync(context.Response.Body, count, context.RequestAborted).ConfigureAwait(false);
        Log.HotKeysExported(logger, written);
        return TypedResults.Empty;
    }
}
