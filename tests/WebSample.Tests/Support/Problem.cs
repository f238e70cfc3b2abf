using System.Net;
using System.Text.Json;

namespace WebSample.Tests.Support;

/// <summary>Checks problem-details answers: the status, the media type, and a detail naming the problem.</summary>
internal static class Problem
{
    public static async Task<JsonElement> AssertAsync(HttpResponseMessage response, HttpStatusCode status, params string[] detailContains)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"expected {(int)status}, got {(int)response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var json = JsonDocument.Parse(text);
        var root = json.RootElement.Clone();
        Assert.Equal((int)status, root.GetProperty("status").GetInt32());
        var detail = root.GetProperty("detail").GetString() ?? string.Empty;
        foreach (var part in detailContains)
        {
            Assert.True(detail.Contains(part, StringComparison.Ordinal), $"detail \"{detail}\" does not mention \"{part}\"");
        }

        return root;
    }
}
