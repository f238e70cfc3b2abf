using Microsoft.AspNetCore.Http.Features;

namespace WebSample.Internal;

/// <summary>
/// Reads a path tail exactly as the client encoded it. Kestrel decodes the path except <c>%2F</c>, so a route value
/// cannot tell a key's <c>/</c> from a literal <c>%2F</c>; the raw request target can. Cache keys hold arbitrary
/// prompt text, so a key is taken from there and percent-decoded once.
/// </summary>
internal static class RawPath
{
    /// <summary>The part of the request target after <paramref name="prefix"/>, percent-decoded; null when it is not there.</summary>
    public static string? After(HttpContext context, string prefix)
    {
        ArgumentNullException.ThrowIfNull(context);
        var raw = context.Features.Get<IHttpRequestFeature>()?.RawTarget;
        if (string.IsNullOrEmpty(raw))
        {
            return null;
        }

        var query = raw.IndexOf('?', StringComparison.Ordinal);
        var path = query >= 0 ? raw[..query] : raw;
        var at = path.IndexOf(prefix, StringComparison.OrdinalIgnoreCase);
        return at < 0 ? null : Uri.UnescapeDataString(path[(at + prefix.Length)..]);
    }
}
