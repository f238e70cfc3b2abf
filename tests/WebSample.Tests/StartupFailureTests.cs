using WebSample.Load;
using WebSample.Tests.Support;

namespace WebSample.Tests;

/// <summary>
/// Misconfigurations stop the sample at startup with an error naming the setting. Each runs the sample as its own
/// process and reads what it printed, as an operator would (a failing start inside WebApplicationFactory can surface
/// as its own ObjectDisposedException instead of the app's error).
/// </summary>
public sealed class StartupFailureTests
{
    [Theory]
    [InlineData("WebSample:Model:Simulated:Latency", "00:02:00", "Latency")]
    [InlineData("WebSample:Model:Timeout", "00:00:00", "Timeout")]
    [InlineData("WebSample:Dashboard:SampleInterval", "00:00:00.010", "SampleInterval")]
    [InlineData("WebSample:Dashboard:HistoryLength", "5", "HistoryLength")]
    [InlineData("DialogueCache:MaxSize", "0", "DialogueCacheOptions.MaxSize must be greater than 0")]
    public async Task Start_BadOption_FailsNamingIt(string key, string value, string option)
    {
        await ExpectStartFailureAsync(new() { [key] = value }, "OptionsValidationException", option);
    }

    [Fact]
    public async Task Start_UnknownProvider_FailsNamingTheSetting()
    {
        await ExpectStartFailureAsync(new() { ["WebSample:Model:Provider"] = "Claude" }, "'Claude' at 'WebSample:Model:Provider'");
    }

    [Fact]
    public async Task Start_AdminKeyShorterThan16_FailsNamingIt()
    {
        await ExpectStartFailureAsync(new() { ["WebSample:Admin:ApiKey"] = "short" },
            "WebSample:Admin:ApiKey must be at least 16 characters (was 5)");
    }

    [Fact]
    public async Task Start_OpenAIWithoutKey_FailsNamingTheKey()
    {
        await ExpectStartFailureAsync(new() { ["WebSample:Model:Provider"] = "OpenAI" }, "WebSample:Model:OpenAI:ApiKey is required");
    }

    [Fact]
    public async Task Start_PrewarmFileMissing_FailsNamingTheFile()
    {
        await ExpectStartFailureAsync(new() { ["WebSample:Prewarm:File"] = "no-such-file.json" }, "FileNotFoundException", "no-such-file.json");
    }

    [Fact]
    public async Task Start_PrewarmFileMalformed_FailsNamingFileAndLine()
    {
        using var folder = new TempFolder();
        var path = folder.File("broken.json");
        await File.WriteAllTextAsync(path, "[\n  {\"character\": \"npc:a\", \"prompt\": \"hi\", \"response\": \"yo\"},\n  {\"character\": \n]\n");

        await ExpectStartFailureAsync(new() { ["WebSample:Prewarm:File"] = path }, "DialogueCachePrewarmException", "broken.json", "line 4");
    }

    private static async Task ExpectStartFailureAsync(Dictionary<string, string> settings, params string[] expected)
    {
        using var folder = new TempFolder();
        settings.TryAdd("ConnectionStrings:DialogueCache", $"Data Source={folder.File("cache.db")}");

        var error = await Assert.ThrowsAsync<InvalidOperationException>(async () =>
        {
            await using var sample = await SampleProcess.StartAsync(settings, TimeSpan.FromSeconds(60));
        });

        Assert.Contains("exited with code", error.Message, StringComparison.Ordinal);
        foreach (var text in expected)
        {
            Assert.Contains(text, error.Message, StringComparison.Ordinal);
        }
    }
}
