using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Dialogue.Caching;
using WebSample.Tests.Support;

namespace WebSample.Tests;

public sealed class CachePrewarmTests : IDisposable
{
    private readonly SampleApp _app = new(new Dictionary<string, string?> { ["WebSample:Prewarm:MaxUploadBytes"] = "100000" });
    private readonly HttpClient _admin;

    public CachePrewarmTests() => _admin = _app.Admin();

    private IDialogueCache Cache => _app.Get<IDialogueCache>();

    [Fact]
    public async Task Prewarm_JsonObject_StoresEveryEntry()
    {
        using var response = await AdminJson.PrewarmAsync(_admin, """{"k1": "v1", "k2": "v2", "k3": "v3"}""");

        var body = await Ok(response);
        Assert.Equal((3, "json-object"), (body.GetProperty("stored").GetInt32(), body.GetProperty("format").GetString()));
        Assert.Equal("v2", Cache.Get("k2"));
    }

    [Fact]
    public async Task Prewarm_JsonLinesBody_StoresEveryEntry()
    {
        const string lines = "{\"key\":\"a\",\"value\":\"1\"}\n{\"key\":\"b\",\"value\":\"2\",\"ttlSeconds\":60}\n";

        using var response = await AdminJson.PrewarmAsync(_admin, lines, "application/x-ndjson");

        var body = await Ok(response);
        Assert.Equal((2, "json-lines"), (body.GetProperty("stored").GetInt32(), body.GetProperty("format").GetString()));
        Assert.Equal("2", Cache.Get("b"));
    }

    [Fact]
    public async Task Prewarm_NpcLinesArray_ThoseLinesHitOnFirstRequest()
    {
        const string lines = """
            [
              {"character": "npc:bard", "context": "square", "prompt": "Sing something!", "response": "Oh, the river runs cold and the road runs long..."},
              {"character": "npc:bard", "prompt": "Who are you?", "response": "A humble bard."}
            ]
            """;

        using var response = await AdminJson.PrewarmAsync(_admin, lines);

        var body = await Ok(response);
        Assert.Equal((2, "npc-lines"), (body.GetProperty("stored").GetInt32(), body.GetProperty("format").GetString()));
        var sung = await DialogueClient.AskAsync(_app.Http, "npc:bard", "square", "sing  something!");
        Assert.Equal(("HIT", "Oh, the river runs cold and the road runs long..."), (sung.CacheHeader, sung.Response));
        Assert.Equal("HIT", (await DialogueClient.AskAsync(_app.Http, "npc:bard", "", "Who are you?")).CacheHeader);
    }

    [Fact]
    public async Task Prewarm_MultipartFile_ReadByExtension()
    {
        using var form = new MultipartFormDataContent();
        var file = new StringContent("{\"key\":\"m1\",\"value\":\"from a file\"}\n", Encoding.UTF8);
        file.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        form.Add(file, "file", "lines.jsonl");

        using var response = await _admin.PostAsync("cache/prewarm", form);

        var body = await Ok(response);
        Assert.Equal((1, "json-lines"), (body.GetProperty("stored").GetInt32(), body.GetProperty("format").GetString()));
        Assert.Equal("from a file", Cache.Get("m1"));
    }

    public static TheoryData<string, string, string[]> BadDocuments() => new()
    {
        { "application/json", "{\"k1\": \"v1\",\n \"k2\": }", ["request body", "line 2", "position"] },
        { "application/json", "{\"k1\": 5}", ["request body", "line 1"] },
        { "application/json", "{\"k1\": null}", ["request body", "line 1"] },
        { "application/json", "42", ["JSON object", "array of NPC lines"] },
        { "application/json", "[{\"character\": \"npc:a\", \"prompt\": \"hi\", \"response\": \"yo\"}, {\"character\": \"npc:a\", \"prompt\": \"hi\"}]", ["NPC line 2", "'response' is required"] },
        { "application/json", "[{\"character\": \"npc:a\", \"prompt\": \"hi\", \"response\": \"yo\", \"mood\": \"sad\"}]", ["request body"] },
        { "application/json", "[{\"character\": \"npc:a\", \"prompt\": \"hi\", \"response\": \"yo\"", ["request body"] },
        { "application/x-ndjson", "{\"key\":\"a\",\"value\":\"1\"}\nnot json\n", ["request body", "line 2"] },
        { "application/x-ndjson", "{\"key\":\"a\",\"value\":\"1\",\"ttlSeconds\":-5}\n", ["request body"] },
    };

    [Theory]
    [MemberData(nameof(BadDocuments))]
    public async Task Prewarm_BadDocument_400NamingThePlace_NothingStored(string contentType, string body, string[] detail)
    {
        var before = Cache.Analytics().CurrentSize;

        using var response = await AdminJson.PrewarmAsync(_admin, body, contentType);

        await Problem.AssertAsync(response, HttpStatusCode.BadRequest, ["Nothing was stored", .. detail]);
        Assert.Equal(before, Cache.Analytics().CurrentSize);
        Assert.Null(Cache.Get("a"));
        Assert.Null(Cache.Get("k1"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("  \n ")]
    public async Task Prewarm_EmptyBody_400(string body)
    {
        using var response = await AdminJson.PrewarmAsync(_admin, body);

        await Problem.AssertAsync(response, HttpStatusCode.BadRequest, body.Length == 0 ? "is empty" : "JSON object");
    }

    [Fact]
    public async Task Prewarm_UnsupportedContentType_415()
    {
        using var response = await AdminJson.PrewarmAsync(_admin, "k1=v1", "text/plain");

        await Problem.AssertAsync(response, HttpStatusCode.UnsupportedMediaType, "text/plain", "application/json");
    }

    [Fact]
    public async Task Prewarm_MultipartWithoutFileField_400()
    {
        using var form = new MultipartFormDataContent { { new StringContent("{}"), "document", "x.json" } };

        using var response = await _admin.PostAsync("cache/prewarm", form);

        await Problem.AssertAsync(response, HttpStatusCode.BadRequest, "field named 'file'");
    }

    [Fact]
    public async Task Prewarm_OverUploadLimit_413()
    {
        var big = JsonSerializer.Serialize(Enumerable.Range(0, 5000).ToDictionary(i => $"key-{i}", i => new string('v', 30)));

        using var response = await AdminJson.PrewarmAsync(_admin, big);

        await Problem.AssertAsync(response, HttpStatusCode.RequestEntityTooLarge, "100,000 bytes");
        Assert.Null(Cache.Get("key-1"));
    }

    public void Dispose()
    {
        _admin.Dispose();
        _app.Dispose();
    }

    private static async Task<JsonElement> Ok(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }
}
