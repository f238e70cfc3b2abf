using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using WebSample.Internal;

namespace WebSample.Admin;

/// <summary>
/// Guards the admin endpoints: 403 when no key is configured (disabled, not open), 401 when the request's
/// <c>X-Api-Key</c> header is missing or wrong. Keys are compared as SHA-256 digests in constant time, so neither the
/// length nor a prefix of the key leaks through timing.
/// </summary>
internal sealed class AdminKeyFilter : IEndpointFilter
{
    private readonly byte[]? _keyDigest;
    private readonly ILogger _logger;

    public AdminKeyFilter(IOptions<AdminApiOptions> options, ILogger<AdminKeyFilter> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _keyDigest = options.Value.Enabled ? Digest(options.Value.ApiKey!) : null;
        _logger = logger;
    }

    /// <inheritdoc />
    public ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        var http = context.HttpContext;
        if (_keyDigest is null)
        {
            return Reject(http, StatusCodes.Status403Forbidden, "Admin API disabled",
                "The admin API is disabled: no API key is configured. Set WebSample:Admin:ApiKey (at least 16 characters; " +
                "e.g. the environment variable WebSample__Admin__ApiKey) and send it in the X-Api-Key header.",
                "disabled");
        }

        var sent = http.Request.Headers[AdminApiOptions.HeaderName];
        if (sent.Count == 0 || string.IsNullOrEmpty(sent[0]))
        {
            return Reject(http, StatusCodes.Status401Unauthorized, "API key required",
                $"The admin API needs the {AdminApiOptions.HeaderName} header with the configured key.", "no key");
        }

        if (sent.Count > 1 || !CryptographicOperations.FixedTimeEquals(Digest(sent[0]!), _keyDigest))
        {
            return Reject(http, StatusCodes.Status401Unauthorized, "Wrong API key",
                $"The {AdminApiOptions.HeaderName} header does not match the configured admin key.", "wrong key");
        }

        return next(context);
    }

    private static byte[] Digest(string key) => SHA256.HashData(Encoding.UTF8.GetBytes(key));

    private ValueTask<object?> Reject(HttpContext http, int status, string title, string detail, string reason)
    {
        // The route pattern, not the path: a path to an entry holds its key, and keys hold prompt text.
        var route = (http.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText ?? "/cache";
        Log.AdminRejected(_logger, http.Request.Method, route, reason);
        if (status == StatusCodes.Status401Unauthorized)
        {
            http.Response.Headers.WWWAuthenticate = $"ApiKey header=\"{AdminApiOptions.HeaderName}\"";
        }

        return ValueTask.FromResult<object?>(TypedResults.Problem(detail, statusCode: status, title: title));
    }
}
