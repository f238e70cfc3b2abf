using System.Net.Http.Json;
using Microsoft.Playwright;
using WebSample.Dashboard;
using WebSample.Tests.Support;
using Xunit.Abstractions;

namespace WebSample.Tests;

public sealed class DashboardBrowserTests(ITestOutputHelper output)
{
    private const float WaitMs = 15_000;

    [SkippableFact]
    public async Task Dashboard_InHeadlessChromium_ChartRendersAndNumbersMoveAfterRequests()
    {
        await using var browser = await Chromium.LaunchAsync();
        using var app = new SampleApp(new Dictionary<string, string?>
        {
            ["DialogueCache:MaxSize"] = "60",
            ["WebSample:Model:Simulated:Latency"] = "00:00:00.020",
        });
        var page = await browser.Context.NewPageAsync();
        var problems = new List<string>();
        var foreign = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Type is "error" or "warning")
            {
                problems.Add($"{message.Type}: {message.Text}");
            }
        };
        page.PageError += (_, error) => problems.Add($"page error: {error}");
        var origin = app.BaseAddress.GetLeftPart(UriPartial.Authority);
        page.Request += (_, request) =>
        {
            if (!request.Url.StartsWith(origin, StringComparison.Ordinal) && !request.Url.StartsWith("data:", StringComparison.Ordinal))
            {
                foreign.Add(request.Url);
            }
        };

        await page.GotoAsync(app.BaseAddress.ToString());
        await page.WaitForSelectorAsync("#status[data-state=live]", new() { Timeout = WaitMs });
        var before = await page.InnerTextAsync("#requests-total");

        await SendTrafficAsync(app);
        await page.WaitForFunctionAsync("before => document.querySelector('#requests-total').textContent !== before", before,
            new() { Timeout = WaitMs });
        await page.WaitForFunctionAsync("() => Number(document.querySelector('#chart-line').dataset.samples) >= 3", null,
            new() { Timeout = WaitMs });
        await page.WaitForFunctionAsync("() => document.querySelectorAll('#top-keys tr td.num').length >= 3", null,
            new() { Timeout = WaitMs });

        Assert.NotEqual(before, await page.InnerTextAsync("#requests-total"));
        Assert.Matches(@"^\d+\.\d %$", await page.InnerTextAsync("#hit-ratio"));
        Assert.StartsWith("M", await page.GetAttributeAsync("#chart-line", "d"), StringComparison.Ordinal);
        Assert.True(await page.Locator("#chart-bars rect").CountAsync() >= 1, "requests/s bars are drawn");
        Assert.Matches(@"^\d+ / 60$", await page.InnerTextAsync("#entries"));
        Assert.Equal(4, await page.Locator("#evictions li").CountAsync());
        Assert.NotEqual("0", await page.InnerTextAsync("#evictions li[data-reason=capacity] .count"));
        Assert.NotEqual("0", await page.InnerTextAsync("#tokens-saved"));
        Assert.Contains("npc:", await page.InnerTextAsync("#top-keys"), StringComparison.Ordinal);

        // The form sends a line through POST /dialogue: a miss, then the same line hits.
        await page.FillAsync("#try-prompt", "Is the bridge safe tonight?");
        await page.ClickAsync("#try-send");
        await page.WaitForSelectorAsync("#try-result .badge.miss", new() { Timeout = WaitMs });
        await page.ClickAsync("#try-send");
        await page.WaitForSelectorAsync("#try-result .badge.hit", new() { Timeout = WaitMs });

        await SaveScreenshotAsync(page);
        Assert.Empty(foreign);
        Assert.Empty(problems);
    }

    [SkippableFact]
    public async Task Dashboard_KeyWithMarkup_ShownAsTextNotRun()
    {
        await using var browser = await Chromium.LaunchAsync();
        using var app = new SampleApp();
        var page = await browser.Context.NewPageAsync();
        await page.GotoAsync(app.BaseAddress.ToString());

        await DialogueClient.AskAsync(app.Http, "<img src=x onerror=\"window.__xss = 1\">", "<b>scene</b>", "hello");
        await page.WaitForFunctionAsync("() => document.querySelector('#top-keys').textContent.includes('<img src=x')", null,
            new() { Timeout = WaitMs });

        Assert.Equal(0, await page.Locator("#top-keys img, #top-keys b").CountAsync());
        Assert.True(await page.EvaluateAsync<bool>("() => window.__xss === undefined"));
    }

    // Rounds of requests, one sampling interval apart (waiting on the server's history, not on a clock), over a
    // growing set of lines: misses first, then more and more hits, and capacity evictions once past MaxSize.
    private static async Task SendTrafficAsync(SampleApp app)
    {
        var history = app.Get<StatsHistory>();
        string[] characters = ["npc:blacksmith", "npc:innkeeper", "npc:guard", "npc:merchant", "npc:wizard", "npc:farmer"];
        string[] contexts = ["forge", "tavern", "gate", "market", "tower", "fields"];
        for (var round = 0; round < 8; round++)
        {
            for (var i = 0; i < 25; i++)
            {
                var line = (round * 7 + (i * i)) % (10 + (round * 6));
                var who = line % characters.Length;
                await DialogueClient.AskAsync(app.Http, characters[who], contexts[who], $"Tell me about rumour {line}.");
            }

            await DialogueClient.AskAsync(app.Http, "npc:blacksmith", "forge", "Hello!");
            var samples = history.Snapshot().Count;
            Assert.True(SpinWait.SpinUntil(() => history.Snapshot().Count > samples, TimeSpan.FromSeconds(10)),
                "the dashboard's history takes a sample every 200 ms");
        }

        using var admin = app.Admin();
        using var removed = await admin.DeleteAsync("cache/entries?pattern=npc:farmer|");
        removed.EnsureSuccessStatusCode();
        _ = await removed.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>();
    }

    private async Task SaveScreenshotAsync(IPage page)
    {
        var path = Path.Combine(RepoPaths.Artifacts, "dashboard.png");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true });
        output.WriteLine($"Dashboard screenshot: {path}");
        if (Environment.GetEnvironmentVariable("DIALOGUECACHE_SCREENSHOT") is { Length: > 0 } copy)
        {
            File.Copy(path, copy, overwrite: true);
            output.WriteLine($"Copied to {copy}");
        }
    }
}
