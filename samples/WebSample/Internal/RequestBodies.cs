using Microsoft.AspNetCore.Http.Features;

namespace WebSample.Internal;

/// <summary>Body size limits per endpoint: a dialogue line is a few hundred bytes, a prewarm file can be megabytes.</summary>
internal static class RequestBodies
{
    /// <summary>
    /// Caps the body of this request at <paramref name="limit"/> bytes. Returns a 413 problem when the declared length
    /// is over it; a body that turns out longer while it is read fails with <see cref="BadHttpRequestException"/> (413).
    /// </summary>
    public static IResult? Limit(HttpContext context, long limit)
    {
        var feature = context.Features.Get<IHttpMaxRequestBodySizeFeature>();
        if (feature is { IsReadOnly: false })
        {
            feature.MaxRequestBodySize = limit;
        }

        return context.Request.ContentLength > limit ? Problems.TooLarge(limit) : null;
    }
}
