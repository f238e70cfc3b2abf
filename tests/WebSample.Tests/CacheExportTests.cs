using System.Net;
using System.Text.Json;
using WebSample.Tests.Support;

namespace WebSample.Tests;

public sealed class CacheExportTests : IDisposable
{
    private readonly SampleApp _app = new();
    private readonly HttpClient _admin;

    public CacheExportTests() => _admin = _app.Admin();

    [Fact]
    public async Task Export_HotKeys_JsonObjectAttachmentOfCachedEntries()
    {
        for (var i = 0; i < 3; i++)
        {
            await DialogueClient.AskAsync(_app.Http, "npc:wizard", "tower", "Teach me a spell.");
        }

        await DialogueClient.AskAsync(_app.Http, "npc:guard", "gate", "Hello!");

        using var response = await _admin.GetAsync("cache/export?count=10");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("attachment", response.Content.Headers.ContentDisposition?.DispositionType);
        using var export = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var keys = export.RootElement.EnumerateObject().Select(p => p.Name).ToList();
        Assert.Equal(2, keys.Count);
        Assert.StartsWith("npc:wizard|tower|", keys[0], StringComparison.Ordinal);   // hottest first
        Assert.All(export.RootElement.EnumerateObject(), p => Assert.Equal(JsonValueKind.String, p.Value.ValueKind));
    }

    [Fact]
    public async Task Export_PostedToAnotherInstance_ItsRequestsHit()
    {
        await DialogueClient.AskAsync(_app.Http, "npc:merchant", "market", "What is this compass?");
        using var exported = await _admin.GetAsync("cache/export");
        var document = await exported.Content.ReadAsStringAsync();

        using var other = new SampleApp(new Dictionary<string, string?> { ["WebSample:Prewarm:File"] = "" });
        using var otherAdmin = other.Admin();
        using var posted = await AdminJson.PrewarmAsync(otherAdmin, document);

        Assert.Equal(HttpStatusCode.OK, posted.StatusCode);
        var answer = await DialogueClient.AskAsync(other.Http, "npc:merchant", "market", "What is this compass?");
        Assert.Equal("HIT", answer.CacheHeader);
    }

    [Fact]
    public async Task Export_NothingRequested_EmptyObject()
    {
        using var response = await _admin.GetAsync("cache/export");

        Assert.Equal("{}", JsonSerializer.Serialize(JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement));
    }

    [Theory]
    [InlineData("count=0")]
    [InlineData("count=-1")]
    [InlineData("count=65537")]
    [InlineData("count=abc")]
    [InlineData("count=")]
    [InlineData("count=1&count=2")]
    public async Task Export_BadCount_400(string query)
    {
        using var response = await _admin.GetAsync("cache/export?" + query);

        await Problem.AssertAsync(response, HttpStatusCode.BadRequest, "'count'");
    }

    public void Dispose()
    {
        _admin.Dispose();
        _app.Dispose();
    }
}
