namespace WebSample.Admin;

/// <summary>Maps the admin API: every endpoint under <c>/cache</c> needs the <c>X-Api-Key</c> header.</summary>
internal static class AdminEndpoints
{
    /// <summary>Maps <c>/cache/stats</c>, <c>/cache/entries</c>, <c>/cache</c>, <c>/cache/prewarm</c> and <c>/cache/export</c>.</summary>
    public static IEndpointRouteBuilder MapCacheAdmin(this IEndpointRouteBuilder endpoints)
    {
        var admin = endpoints.MapGroup("/cache").AddEndpointFilter<AdminKeyFilter>();
        admin.MapGet("/stats", (CacheAdminHandler handler) => handler.Stats())
            .WithSummary("The cache's analytics: counters and the most requested keys, whole.");
        admin.MapDelete("/entries/{**key}", (CacheAdminHandler handler, HttpContext context, string? key) => handler.DeleteEntry(context, key))
            .WithSummary("Removes one entry; the key percent-encoded.");
        admin.MapDelete("/entries", (CacheAdminHandler handler, HttpContext context) => handler.DeleteByPattern(context))
            .WithSummary("Removes the entries whose key contains ?pattern= (ordinal, case-sensitive).");
        admin.MapDelete("", (CacheAdminHandler handler) => handler.Clear())
            .WithSummary("Removes every entry and resets the analytics.");
        admin.MapPost("/prewarm", (CacheAdminHandler handler, HttpContext context) => handler.PrewarmAsync(context))
            .WithSummary("Stores the entries of a prewarm document: JSON body, JSON Lines or a multipart file.");
        admin.MapGet("/export", (CacheExportHandler handler, HttpContext context) => handler.ExportAsync(context))
            .WithSummary("The hot keys with their values, as a prewarm file.");
        return endpoints;
    }
}
