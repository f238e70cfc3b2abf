using Dialogue.Caching;
using WebSample.Tests.Support;

namespace WebSample.Tests;

public sealed class StartupTests
{
    [Fact]
    public async Task Start_ShippedPrewarmFile_EveryLineHitsOnFirstRequest()
    {
        using var app = new SampleApp();
        using var document = System.Text.Json.JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(RepoPaths.Sample, "prewarm.json")));
        var lines = document.RootElement.EnumerateArray().ToList();
        Assert.InRange(lines.Count, 24, 100);

        foreach (var line in lines)
        {
            var answer = await DialogueClient.AskAsync(app.Http, line.GetProperty("character").GetString()!,
                line.GetProperty("context").GetString()!, line.GetProperty("prompt").GetString()!);
            Assert.Equal(("HIT", line.GetProperty("response").GetString()), (answer.CacheHeader, answer.Response));
        }

        Assert.Equal(0, app.Get<IDialogueCache>().Analytics().FactoryCalls);
    }

    [Fact]
    public void Start_NoPrewarmFile_StartsEmpty()
    {
        using var app = new SampleApp(new Dictionary<string, string?> { ["WebSample:Prewarm:File"] = "" });

        _ = app.Http;

        Assert.Equal(0, app.Get<IDialogueCache>().Analytics().CurrentSize);
    }

    [Fact]
    public async Task Restart_SameSqliteFile_ComesBackWarm()
    {
        using var folder = new TempFolder();
        var settings = new Dictionary<string, string?>
        {
            ["ConnectionStrings:DialogueCache"] = $"Data Source={folder.File("shared.db")}",
            ["WebSample:Prewarm:File"] = "",
        };
        using (var first = new SampleApp(settings))
        {
            Assert.Equal("MISS", (await DialogueClient.AskAsync(first.Http, "npc:innkeeper", "tavern", "One more ale?")).CacheHeader);
        }

        Assert.True(File.Exists(folder.File("shared.db")), "the store writes to the configured file");
        using var second = new SampleApp(settings);

        var answer = await DialogueClient.AskAsync(second.Http, "npc:innkeeper", "tavern", "One more ale?");

        Assert.Equal("HIT", answer.CacheHeader);
    }
}
