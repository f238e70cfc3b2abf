using System.Globalization;
using System.Text.Json;
using WebSample.Load;
using WebSample.Tests.Support;

namespace WebSample.Tests;

public sealed class DotnetCountersTests
{
    private static readonly string[] Instruments =
    [
        "cache.requests", "cache.entries", "cache.hit_ratio", "dialogue.generation.duration", "dialogue.tokens.saved",
        "dialogue.latency.saved",
    ];

    [Fact]
    public async Task DotnetCounters_AttachedToTheRunningSample_ShowsDialogueCacheInstrumentsNonZero()
    {
        // The tool comes from the repository's manifest (.config/dotnet-tools.json), as a developer would run it.
        var restore = await DotnetCommand.RunAsync(["tool", "restore"], RepoPaths.Root, TimeSpan.FromMinutes(3));
        Assert.True(restore.ExitCode == 0, $"dotnet tool restore failed: {restore.Output}");

        using var folder = new TempFolder();
        await using var sample = await SampleProcess.StartAsync(new Dictionary<string, string>
        {
            ["ConnectionStrings:DialogueCache"] = $"Data Source={folder.File("cache.db")}",
            ["WebSample:Model:Simulated:Latency"] = "00:00:00.005",
        }, TimeSpan.FromSeconds(60));
        var file = folder.File("counters.json");

        // Traffic for the whole collection: new lines (misses: model calls) and repeats (hits: tokens saved).
        using var stop = new CancellationTokenSource();
        using var http = new HttpClient { BaseAddress = sample.BaseAddress };
        var traffic = Task.Run(async () =>
        {
            for (var i = 0; i < 100_000 && !stop.IsCancellationRequested; i++)
            {
                await DialogueClient.AskAsync(http, "npc:guard", "gate", $"Line {(i % 3 == 0 ? i : i % 10)}");
            }
        });
        var collect = await DotnetCommand.RunAsync(
            ["tool", "run", "dotnet-counters", "--", "collect", "--process-id", sample.ProcessId.ToString(CultureInfo.InvariantCulture),
             "--counters", "DialogueCache", "--format", "json", "--output", file, "--duration", "00:00:00:05", "--refresh-interval", "1"],
            RepoPaths.Root, TimeSpan.FromSeconds(90));
        await stop.CancelAsync();
        await traffic;

        Assert.True(collect.ExitCode == 0 && File.Exists(file), $"dotnet-counters collect failed: {collect.Output}");
        var maxima = Maxima(await File.ReadAllTextAsync(file));
        foreach (var instrument in Instruments)
        {
            Assert.True(maxima.TryGetValue(instrument, out var value) && value > 0,
                $"{instrument} should be non-zero; dotnet-counters saw {string.Join(", ", maxima.Select(m => $"{m.Key}={m.Value}"))}");
        }
    }

    // dotnet-counters names an event "cache.requests ({request} / 1 sec)": the instrument, then its unit.
    private static Dictionary<string, double> Maxima(string json)
    {
        using var document = JsonDocument.Parse(json);
        var maxima = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var counter in document.RootElement.GetProperty("Events").EnumerateArray())
        {
            Assert.Equal("DialogueCache", counter.GetProperty("provider").GetString());
            Assert.Contains("cache.name=default", counter.GetProperty("tags").GetString(), StringComparison.Ordinal);
            var name = counter.GetProperty("name").GetString()!;
            var cut = name.IndexOf(" (", StringComparison.Ordinal);
            name = cut > 0 ? name[..cut] : name;
            var value = counter.GetProperty("value").GetDouble();
            maxima[name] = maxima.TryGetValue(name, out var seen) ? Math.Max(seen, value) : value;
        }

        return maxima;
    }
}
