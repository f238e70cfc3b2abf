using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dialogue.Caching;
using WebSample.Tests.Support;

namespace WebSample.Tests;

public sealed class CacheAdminTests : IDisposable
{
    private readonly SampleApp _app = new();
    private readonly HttpClient _admin;

    public CacheAdminTests() => _admin = _app.Admin();

    [Fact]
    public async Task Stats_AfterRequests_CountersAndWholeTopKeys()
    {
        await DialogueClient.AskAsync(_app.Http, "npc:guard", "gate", "Where is the well?");
        await DialogueClient.AskAsync(_app.Http, "npc:guard", "gate", "Where is the well?");
        await DialogueClient.AskAsync(_app.Http, "npc:guard", "gate", "Where is the well?");

        var stats = await AdminJson.StatsAsync(_admin);

        var totals = stats.GetProperty("totals");
        Assert.Equal(2, totals.GetProperty("hits").GetInt64());
        Assert.Equal(1, totals.GetProperty("misses").GetInt64());
        Assert.Equal(3, totals.GetProperty("requests").GetInt64());
        Assert.Equal(2.0 / 3, totals.GetProperty("hitRatio").GetDouble(), 6);
        Assert.Equal(37, totals.GetProperty("currentSize").GetInt32());   // 36 prewarmed lines and this one
        Assert.Equal(1000, totals.GetProperty("maxSize").GetInt32());
        Assert.Equal(1, totals.GetProperty("modelCalls").GetInt64());
        Assert.True(totals.GetProperty("outputTokensSaved").GetInt64() > 0);
        Assert.True(totals.GetProperty("latencySavedMs").GetDouble() >= 0);
        Assert.Equal(0, totals.GetProperty("evictions").GetProperty("total").GetInt64());
        var top = stats.GetProperty("topKeys")[0];
        Assert.StartsWith("npc:guard|gate|", top.GetProperty("key").GetString(), StringComparison.Ordinal);
        Assert.Equal(3, top.GetProperty("count").GetInt64());
        Assert.Matches("^[0-9a-f]{8}$", top.GetProperty("fingerprint").GetString());
    }

    [Fact]
    public async Task DeleteEntry_Cached_204AndNextRequestMisses()
    {
        await DialogueClient.AskAsync(_app.Http, "npc:farmer", "fields", "Any turnips?");
        var key = (await AdminJson.StatsAsync(_admin)).GetProperty("topKeys")[0].GetProperty("key").GetString()!;

        using var response = await _admin.DeleteAsync(AdminJson.EntryPath(key));

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal("MISS", (await DialogueClient.AskAsync(_app.Http, "npc:farmer", "fields", "Any turnips?")).CacheHeader);
        var stats = await AdminJson.StatsAsync(_admin);
        Assert.Equal(1, stats.GetProperty("totals").GetProperty("evictions").GetProperty("removed").GetInt64());
    }

    [Theory]
    [InlineData("plain-key")]
    [InlineData("with/slash/and%2Fencoded")]
    [InlineData("pipes|and %25 percent|t:what?#now")]
    [InlineData("unicode ünïcödé 龍")]
    [InlineData("trailing space ")]
    public async Task DeleteEntry_AnyCharactersInKey_RemovesExactlyThatKey(string key)
    {
        var cache = _app.Get<IDialogueCache>();
        cache.Set(key, "value");
        cache.Set(key + "-other", "value");

        using var response = await _admin.DeleteAsync(AdminJson.EntryPath(key));

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.False(cache.TryGet(key, out _));
        Assert.True(cache.TryGet(key + "-other", out _));
    }

    [Fact]
    public async Task DeleteEntry_Unknown_404()
    {
        using var response = await _admin.DeleteAsync(AdminJson.EntryPath("npc:nobody|nowhere|t:nothing"));

        await Problem.AssertAsync(response, HttpStatusCode.NotFound, "No entry has that key");
    }

    [Fact]
    public async Task DeleteEntry_EmptyKey_400()
    {
        using var response = await _admin.DeleteAsync("cache/entries/");

        await Problem.AssertAsync(response, HttpStatusCode.BadRequest, "pattern");
    }

    [Fact]
    public async Task DeletePattern_Character_RemovesItsLinesOnly()
    {
        var before = _app.Get<IDialogueCache>().Analytics().CurrentSize;

        using var response = await _admin.DeleteAsync("cache/entries?pattern=" + Uri.EscapeDataString("npc:blacksmith|"));

        response.EnsureSuccessStatusCode();
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(6, body.GetProperty("removed").GetInt32());
        Assert.Equal(before - 6, _app.Get<IDialogueCache>().Analytics().CurrentSize);
        Assert.Equal("MISS", (await DialogueClient.AskAsync(_app.Http, "npc:blacksmith", "forge", "Hello!")).CacheHeader);
        Assert.Equal("HIT", (await DialogueClient.AskAsync(_app.Http, "npc:guard", "gate", "Hello!")).CacheHeader);
    }

    [Fact]
    public async Task DeletePattern_MatchesNothing_ZeroRemoved()
    {
        using var response = await _admin.DeleteAsync("cache/entries?pattern=no-such-thing");

        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(0, body.GetProperty("removed").GetInt32());
    }

    [Theory]
    [InlineData("cache/entries", "'pattern' is required")]
    [InlineData("cache/entries?pattern=", "must not be empty")]
    [InlineData("cache/entries?pattern=a&pattern=b", "once")]
    public async Task DeletePattern_BadQuery_400(string path, string detail)
    {
        var before = _app.Get<IDialogueCache>().Analytics().CurrentSize;

        using var response = await _admin.DeleteAsync(path);

        await Problem.AssertAsync(response, HttpStatusCode.BadRequest, detail);
        Assert.Equal(before, _app.Get<IDialogueCache>().Analytics().CurrentSize);
    }

    [Fact]
    public async Task Clear_RemovesEverythingAndResetsCounters()
    {
        await DialogueClient.AskAsync(_app.Http, "npc:guard", "gate", "Hello!");

        using var response = await _admin.DeleteAsync("cache");

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        var totals = (await AdminJson.StatsAsync(_admin)).GetProperty("totals");
        Assert.Equal((0, 0L), (totals.GetProperty("currentSize").GetInt32(), totals.GetProperty("requests").GetInt64()));
        Assert.Equal(36, totals.GetProperty("evictions").GetProperty("cleared").GetInt64());   // the prewarmed lines
        Assert.Equal("MISS", (await DialogueClient.AskAsync(_app.Http, "npc:guard", "gate", "Hello!")).CacheHeader);
    }

    public void Dispose()
    {
        _admin.Dispose();
        _app.Dispose();
    }
}
