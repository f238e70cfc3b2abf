using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;

namespace Dialogue.Caching.Tests.Hosting;

public sealed class HostedServiceTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("dialoguecache-hosting-").FullName;
    private readonly FakeTimeProvider _time = new();

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task StartAsync_PrewarmFiles_AreLoadedBeforeStartReturns()
    {
        await File.WriteAllTextAsync(Path.Combine(_folder, "lines.json"), """{"npc:smith|forge|t:hello": "Welcome to the forge."}""");
        using var host = BuildHost(o => o.PrewarmFiles = ["lines.json"]);

        await host.StartAsync();

        var cache = host.Services.GetRequiredService<IDialogueCache>();
        Assert.Equal("Welcome to the forge.", cache.Get("npc:smith|forge|t:hello"));
        await host.StopAsync();
    }

    [Fact]
    public async Task StartAsync_MissingPrewarmFile_FailsStartNamingTheFile()
    {
        using var host = BuildHost(o => o.PrewarmFiles = ["missing.json"]);

        var error = await Assert.ThrowsAsync<FileNotFoundException>(() => host.StartAsync());

        Assert.Contains("missing.json", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sweep_EverySweepInterval_RemovesExpiredEntries()
    {
        using var host = BuildHost(o =>
        {
            o.Ttl = TimeSpan.FromSeconds(30);
            o.SweepInterval = TimeSpan.FromMinutes(1);
        });
        await host.StartAsync();
        var cache = host.Services.GetRequiredService<DialogueCache>();
        cache.Set("short", "v");
        cache.Set("long", "v", TimeSpan.FromHours(1));

        _time.Advance(TimeSpan.FromSeconds(59));
        Assert.Equal(2, cache.Count);
        _time.Advance(TimeSpan.FromSeconds(1));

        await WaitUntil(() => cache.Count == 1);
        Assert.Equal(1, cache.Analytics().Evictions.Expired);
        Assert.Equal(0, cache.Analytics().Misses);
        await host.StopAsync();
    }

    private IHost BuildHost(Action<DialogueCacheOptions> configure)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { ContentRootPath = _folder });
        builder.Services.AddSingleton<TimeProvider>(_time);
        builder.Services.AddDialogueCache(configure);
        return builder.Build();
    }

    private static async Task WaitUntil(Func<bool> condition)
    {
        // The sweep runs on the timer's thread once the fake clock fires it; bounded wait for that thread.
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "condition not reached within 30 s");
            await Task.Delay(1);
        }
    }
}
