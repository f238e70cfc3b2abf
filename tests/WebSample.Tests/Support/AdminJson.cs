using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace WebSample.Tests.Support;

/// <summary>Admin API calls the tests repeat.</summary>
internal static class AdminJson
{
    public static async Task<JsonElement> StatsAsync(HttpClient admin)
    {
        using var response = await admin.GetAsync("cache/stats");
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).Clone();
    }

    public static async Task<HttpResponseMessage> PrewarmAsync(HttpClient admin, string body, string contentType = "application/json") =>
        await admin.PostAsync("cache/prewarm", new StringContent(body, Encoding.UTF8, contentType));

    /// <summary>A key as a path segment: every reserved character percent-encoded.</summary>
    public static string EntryPath(string key) => "cache/entries/" + Uri.EscapeDataString(key);
}
