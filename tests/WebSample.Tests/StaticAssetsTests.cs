using System.Net;
using System.Text.RegularExpressions;
using WebSample.Tests.Support;

namespace WebSample.Tests;

public sealed partial class StaticAssetsTests : IDisposable
{
    private readonly SampleApp _app = new();

    [Theory]
    [InlineData("", "text/html")]
    [InlineData("index.html", "text/html")]
    [InlineData("dashboard.js", "text/javascript")]
    [InlineData("dashboard.css", "text/css")]
    [InlineData("favicon.svg", "image/svg+xml")]
    public async Task Asset_Served_WithItsTypeAndPolicy(string path, string mediaType)
    {
        using var response = await _app.Http.GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(mediaType, response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("default-src 'self'", response.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
    }

    [Theory]
    [InlineData("index.html")]
    [InlineData("dashboard.js")]
    [InlineData("dashboard.css")]
    public async Task Asset_LoadsNothingFromAnotherOrigin(string path)
    {
        var text = await _app.Http.GetStringAsync(path);

        // src/href attributes, CSS url() and @import, and fetch/import calls: none may leave this origin.
        Assert.Empty(ExternalReference().Matches(text));
    }

    [Fact]
    public async Task Unknown_Path_404Problem()
    {
        using var response = await _app.Http.GetAsync("no-such-page");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    public void Dispose() => _app.Dispose();

    [GeneratedRegex("""(src|href)\s*=\s*["']?(https?:)?//|url\(\s*["']?(https?:)?//|@import|fetch\(\s*["'`](https?:)?//|import\s*\(\s*["'`](https?:)?//""", RegexOptions.IgnoreCase)]
    private static partial Regex ExternalReference();
}
