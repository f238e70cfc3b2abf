using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using WebSample.Dashboard;
using WebSample.Tests.Support;

namespace WebSample.Tests;

public sealed class DashboardStatsTests : IDisposable
{
    private readonly SampleApp _app = new();

    [Fact]
    public async Task Stats_AfterRequests_TotalsHistoryAndModel()
    {
        var history = _app.Get<StatsHistory>();
        history.Sample();
        await DialogueClient.AskAsync(_app.Http, "npc:guard", "gate", "Open the gate!");
        await DialogueClient.AskAsync(_app.Http, "npc:guard", "gate", "Open the gate!");
        history.Sample();

        var stats = await GetAsync();

        Assert.Equal(200, stats.GetProperty("sampleIntervalMs").GetDouble());
        Assert.Equal(120, stats.GetProperty("historyLength").GetInt32());
        Assert.Equal("simulated", stats.GetProperty("model").GetProperty("provider").GetString());
        Assert.Equal("simulated-npc-1", stats.GetProperty("model").GetProperty("modelId").GetString());
        var totals = stats.GetProperty("totals");
        Assert.Equal((1L, 1L), (totals.GetProperty("hits").GetInt64(), totals.GetProperty("misses").GetInt64()));
        Assert.Contains(stats.GetProperty("history").EnumerateArray(), s => s.GetProperty("hits").GetInt64() >= 1);
    }

    [Fact]
    public async Task Stats_TopKeys_CharacterAndContextButNeverThePrompt()
    {
        await DialogueClient.AskAsync(_app.Http, "npc:guard", "gate", "my password is hunter2, let me in");

        using var response = await _app.Http.GetAsync("dashboard/stats");
        var text = await response.Content.ReadAsStringAsync();

        Assert.DoesNotContain("hunter2", text, StringComparison.OrdinalIgnoreCase);
        var label = JsonDocument.Parse(text).RootElement.GetProperty("topKeys")[0].GetProperty("label").GetString();
        Assert.Matches(@"^npc:guard \| gate \| #[0-9a-f]{8}$", label);
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
    }

    [Fact]
    public async Task Stats_WithoutAdminKey_Ok()
    {
        using var response = await _app.Http.GetAsync("dashboard/stats");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Stats_Post_405()
    {
        using var response = await _app.Http.PostAsync("dashboard/stats", null);

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
    }

    public void Dispose() => _app.Dispose();

    private async Task<JsonElement> GetAsync() => (await _app.Http.GetFromJsonAsync<JsonElement>("dashboard/stats")).Clone();
}
