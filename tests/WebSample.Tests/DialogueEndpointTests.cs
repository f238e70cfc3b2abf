using System.Net;
using System.Text;
using Dialogue.Caching;
using WebSample.Tests.Support;

namespace WebSample.Tests;

public sealed class DialogueEndpointTests : IDisposable
{
    private readonly SampleApp _app = new();

    [Fact]
    public async Task Post_SameLineTwice_MissThenHit()
    {
        var first = await DialogueClient.AskAsync(_app.Http, "npc:blacksmith", "forge", "Do you sell dragon scales?");
        var second = await DialogueClient.AskAsync(_app.Http, "npc:blacksmith", "forge", "Do you sell dragon scales?");

        Assert.Equal(("MISS", false), (first.CacheHeader, first.Cached));
        Assert.Equal(("HIT", true), (second.CacheHeader, second.Cached));
        Assert.Equal(first.Response, second.Response);
        Assert.False(string.IsNullOrWhiteSpace(first.Response));
        Assert.True(first.LatencyMs >= 0 && second.LatencyMs >= 0);
    }

    [Fact]
    public async Task Post_PrewarmedLine_HitOnFirstRequest()
    {
        var answer = await DialogueClient.AskAsync(_app.Http, "npc:blacksmith", "forge", "Hello!");

        Assert.Equal("HIT", answer.CacheHeader);
        Assert.Equal("Welcome to the forge, traveller. Mind the sparks.", answer.Response);
    }

    [Fact]
    public async Task Post_PromptsThatNormalizeAlike_ShareOneEntry()
    {
        await DialogueClient.AskAsync(_app.Http, "npc:guard", "gate", "Where is  the CAPTAIN?");
        var again = await DialogueClient.AskAsync(_app.Http, "npc:guard", "gate", "  where is the captain? ");

        Assert.Equal("HIT", again.CacheHeader);
    }

    [Fact]
    public async Task Post_OtherCharacterOrContext_OwnEntries()
    {
        await DialogueClient.AskAsync(_app.Http, "npc:guard", "gate", "Any news?");

        Assert.Equal("MISS", (await DialogueClient.AskAsync(_app.Http, "npc:farmer", "gate", "Any news?")).CacheHeader);
        Assert.Equal("MISS", (await DialogueClient.AskAsync(_app.Http, "npc:guard", "market", "Any news?")).CacheHeader);
    }

    [Fact]
    public async Task Post_ContextLeftOut_TreatedAsEmpty()
    {
        using var response = await _app.Http.PostAsync("dialogue", Json("""{"character":"npc:guard","prompt":"Who goes there?"}"""));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("MISS", response.Headers.GetValues("X-Cache").Single());
        Assert.Equal("HIT", (await DialogueClient.AskAsync(_app.Http, "npc:guard", "", "Who goes there?")).CacheHeader);
    }

    [Fact]
    public async Task Post_MissAndHit_CountedInAnalyticsWithTokensSaved()
    {
        await DialogueClient.AskAsync(_app.Http, "npc:wizard", "tower", "What is the orb?");
        await DialogueClient.AskAsync(_app.Http, "npc:wizard", "tower", "What is the orb?");

        var analytics = _app.Get<IDialogueCache>().Analytics();
        Assert.Equal((1, 1, 1), (analytics.Hits, analytics.Misses, analytics.FactoryCalls));
        Assert.True(analytics.InputTokensSaved > 0 && analytics.OutputTokensSaved > 0, "a hit saves the tokens the model reported");
    }

    [Fact]
    public async Task Post_WithModelLatency_MissTakesIt_HitDoesNot()
    {
        using var app = new SampleApp(new Dictionary<string, string?> { ["WebSample:Model:Simulated:Latency"] = "00:00:00.150" });

        var miss = await DialogueClient.AskAsync(app.Http, "npc:merchant", "market", "A lantern, please.");
        var hit = await DialogueClient.AskAsync(app.Http, "npc:merchant", "market", "A lantern, please.");

        // Task.Delay may fire a tick early against the request's own clock; 140 ms leaves room for that.
        Assert.True(miss.LatencyMs >= 140, $"a miss waits for the model (150 ms), took {miss.LatencyMs} ms");
        Assert.True(hit.LatencyMs < miss.LatencyMs, $"a hit ({hit.LatencyMs} ms) is faster than the miss ({miss.LatencyMs} ms)");
    }

    [Fact]
    public async Task Post_ConcurrentIdenticalMisses_OneModelCall()
    {
        using var app = new SampleApp(new Dictionary<string, string?> { ["WebSample:Model:Simulated:Latency"] = "00:00:00.300" });

        var answers = await Task.WhenAll(Enumerable.Range(0, 5).Select(_ =>
            DialogueClient.AskAsync(app.Http, "npc:innkeeper", "tavern", "Is the stew fresh?")));

        Assert.Equal(1, app.Get<IDialogueCache>().Analytics().FactoryCalls);
        Assert.Single(answers, a => a.CacheHeader == "MISS");
        Assert.Single(answers.Select(a => a.Response).Distinct());
    }

    public static TheoryData<string, string, HttpStatusCode, string> BadBodies() => new()
    {
        { "application/json", "", HttpStatusCode.BadRequest, "body is empty" },
        { "application/json", "   ", HttpStatusCode.BadRequest, "body is empty" },
        { "application/json", "{\"character\":", HttpStatusCode.BadRequest, "not a valid dialogue request" },
        { "application/json", "hello", HttpStatusCode.BadRequest, "line 1, position 1" },
        { "application/json", "null", HttpStatusCode.BadRequest, "body is null" },
        { "application/json", "[1,2]", HttpStatusCode.BadRequest, "must be a JSON object" },
        { "application/json", "\"text\"", HttpStatusCode.BadRequest, "must be a JSON object" },
        { "application/json", """{"character":5,"prompt":"hi"}""", HttpStatusCode.BadRequest, "$.character must be a string" },
        { "application/json", """{"character":"npc:guard","promt":"hi"}""", HttpStatusCode.BadRequest, "unknown field 'promt'" },
        { "application/json", """{"prompt":"hi"}""", HttpStatusCode.BadRequest, "'character' is required" },
        { "application/json", """{"character":"  ","prompt":"hi"}""", HttpStatusCode.BadRequest, "'character' must not be empty" },
        { "application/json", """{"character":"npc:guard"}""", HttpStatusCode.BadRequest, "'prompt' is required" },
        { "application/json", """{"character":"npc:guard","prompt":"\n\t "}""", HttpStatusCode.BadRequest, "'prompt' must not be empty" },
        { "application/json", """{"character":"npc:guard","prompt":null}""", HttpStatusCode.BadRequest, "'prompt' is required" },
        { "application/json", """{"character":"npc:guard","context":7,"prompt":"hi"}""", HttpStatusCode.BadRequest, "$.context must be a string" },
        { "application/json", """{"character":"npc:guard","prompt":"bad \ud800 text"}""", HttpStatusCode.BadRequest, "$.prompt is not valid UTF-16 text" },
        { "application/json", $$"""{"character":"npc:guard","prompt":"{{new string('a', 2001)}}"}""", HttpStatusCode.BadRequest, "'prompt' must be at most 2000 characters (was 2001)" },
        { "application/json", $$"""{"character":"{{new string('c', 101)}}","prompt":"hi"}""", HttpStatusCode.BadRequest, "'character' must be at most 100 characters" },
        { "application/json", $$"""{"character":"npc:guard","context":"{{new string('x', 201)}}","prompt":"hi"}""", HttpStatusCode.BadRequest, "'context' must be at most 200 characters" },
        { "text/plain", """{"character":"npc:guard","prompt":"hi"}""", HttpStatusCode.UnsupportedMediaType, "Content-Type: application/json" },
        { "application/x-www-form-urlencoded", "character=npc&prompt=hi", HttpStatusCode.UnsupportedMediaType, "JSON body" },
    };

    [Theory]
    [MemberData(nameof(BadBodies))]
    public async Task Post_BadBody_ProblemNamingIt_CountsNothing(string contentType, string body, HttpStatusCode status, string detail)
    {
        var before = _app.Get<IDialogueCache>().Analytics();

        using var response = await _app.Http.PostAsync("dialogue", new StringContent(body, Encoding.UTF8, contentType));

        await Problem.AssertAsync(response, status, detail);
        Assert.False(response.Headers.Contains("X-Cache"));
        var after = _app.Get<IDialogueCache>().Analytics();
        Assert.Equal((before.Hits, before.Misses, before.FactoryCalls), (after.Hits, after.Misses, after.FactoryCalls));
    }

    [Fact]
    public async Task Post_TwoValidationErrors_BothReported()
    {
        using var response = await _app.Http.PostAsync("dialogue", Json("""{"character":"","prompt":""}"""));

        var problem = await Problem.AssertAsync(response, HttpStatusCode.BadRequest, "'character'", "'prompt'");
        Assert.True(problem.GetProperty("errors").TryGetProperty("character", out _));
        Assert.True(problem.GetProperty("errors").TryGetProperty("prompt", out _));
    }

    [Fact]
    public async Task Post_BodyOverLimit_413()
    {
        var body = $$"""{"character":"npc:guard","prompt":"{{new string('a', 70_000)}}"}""";

        using var response = await _app.Http.PostAsync("dialogue", Json(body));

        await Problem.AssertAsync(response, HttpStatusCode.RequestEntityTooLarge, "larger than 65,536 bytes");
    }

    [Fact]
    public async Task Get_Dialogue_405Problem()
    {
        using var response = await _app.Http.GetAsync("dialogue");

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    public void Dispose() => _app.Dispose();

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");
}
