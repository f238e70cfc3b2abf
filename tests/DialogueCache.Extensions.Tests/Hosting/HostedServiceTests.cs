using Dialogue.Caching.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;

namespace Dialogue.Caching.Tests.Hosting;

public sealed class HostedServiceTests : IDisposable
{
    // The event id of the startup prewarm line ("prewarmed {Count} entries from {FileCount} file(s) ... in {ElapsedMilliseconds} ms").
    private const int PrewarmStartupCompletedId = 6;

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
    public async Task StartAsync_PrewarmFiles_LogsCountFilesAndDurationOnce()
    {
        await File.WriteAllTextAsync(Path.Combine(_folder, "a.json"), """{"a": "1", "b": "2"}""");
        await File.WriteAllTextAsync(Path.Combine(_folder, "c.jsonl"), """{"key": "c", "value": "3"}""");
        using var host = BuildHost(o => o.PrewarmFiles = ["a.json", "c.jsonl"]);

        await host.StartAsync();

        var record = Assert.Single(host.Services.GetFakeLogCollector().GetSnapshot(), r => r.Id.Id == PrewarmStartupCompletedId);
        Assert.Equal(LogLevel.Information, record.Level);
        Assert.Equal("3", record.GetStructuredStateValue("Count"));
        Assert.Equal("2", record.GetStructuredStateValue("FileCount"));
        Assert.True(double.TryParse(record.GetStructuredStateValue("ElapsedMilliseconds"), System.Globalization.CultureInfo.InvariantCulture, out var elapsed) && elapsed >= 0);
        Assert.Contains("prewarmed 3 entries from 2 file(s)", record.Message, StringComparison.Ordinal);
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
    public async Task StartAsync_MalformedPrewarmFile_FailsStartNamingFileLineAndPositionAndStoresNothing()
    {
        await File.WriteAllTextAsync(Path.Combine(_folder, "good.json"), """{"good": "kept?"}""");
        await File.WriteAllTextAsync(Path.Combine(_folder, "bad.json"), "{\n  \"a\": \"1\",\n  \"b\": 2\n}");
        using var host = BuildHost(o => o.PrewarmFiles = ["good.json", "bad.json"]);

        var error = await Assert.ThrowsAsync<DialogueCachePrewarmException>(() => host.StartAsync());

        Assert.Equal(Path.Combine(_folder, "bad.json"), error.FilePath);
        Assert.Equal((3, 8), (error.LineNumber, error.Position));
        Assert.Contains($"'{Path.Combine(_folder, "bad.json")}', line 3, position 8", error.Message, StringComparison.Ordinal);
        var cache = host.Services.GetRequiredService<DialogueCache>();
        Assert.Null(cache.Get("a"));
        Assert.Equal("kept?", cache.Get("good")); // an earlier file's prewarm stands; the bad file adds nothing
    }

    [Fact]
    public async Task StartAsync_CalledDirectlyWithoutTheHost_StartsTheStoreAndPrewarmsBeforeItReturns()
    {
        var path = Path.Combine(_folder, "lines.json");
        await File.WriteAllTextAsync(path, """{"prewarmed": "p"}""");
        var store = new RecordingStore();
        store.LoadOnStart.Add(new DialogueCacheStoreEntry("restarted", "r", _time.GetUtcNow().AddHours(1)));
        var services = new ServiceCollection()
            .AddSingleton<TimeProvider>(_time)
            .AddKeyedSingleton<IDialogueCacheStore>("default", store);
        services.AddDialogueCache(o => o.PrewarmFiles = [path]);
        await using var provider = services.BuildServiceProvider();
        var hosted = Assert.Single(provider.GetServices<IHostedService>());

        await hosted.StartAsync(CancellationToken.None);

        var cache = provider.GetRequiredService<DialogueCache>();
        Assert.Equal(["start"], store.Calls);
        Assert.Equal("r", cache.Get("restarted"));
        Assert.Equal("p", cache.Get("prewarmed"));
        await hosted.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task StartingAsyncThenStartAsync_AsTheHostCallsThem_StartTheStoreAndPrewarmOnce()
    {
        await File.WriteAllTextAsync(Path.Combine(_folder, "lines.json"), """{"prewarmed": "p"}""");
        var store = new RecordingStore();
        using var host = BuildHost(o => o.PrewarmFiles = ["lines.json"], store);

        await host.StartAsync();

        Assert.Equal(1, store.Calls.Count(c => c == "start"));
        Assert.Single(host.Services.GetFakeLogCollector().GetSnapshot(), r => r.Id.Id == PrewarmStartupCompletedId);
        await host.StopAsync();
    }

    [Fact]
    public async Task StartAsync_HostedServiceRegisteredBeforeTheCache_SeesThePrewarmedEntriesInItsStartAsync()
    {
        await File.WriteAllTextAsync(Path.Combine(_folder, "lines.json"), """{"prewarmed": "p"}""");
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { ContentRootPath = _folder });
        builder.Services.AddSingleton<TimeProvider>(_time);
        var reader = new ReadsAtStart("prewarmed");
        builder.Services.AddSingleton<IHostedService>(sp => reader.Attach(sp.GetRequiredService<IDialogueCache>()));
        builder.Services.AddDialogueCache(o => o.PrewarmFiles = ["lines.json"]);
        using var host = builder.Build();

        await host.StartAsync();

        Assert.Equal("p", reader.Seen);
        await host.StopAsync();
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

    private IHost BuildHost(Action<DialogueCacheOptions> configure, IDialogueCacheStore? store = null)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { ContentRootPath = _folder });
        builder.Services.AddSingleton<TimeProvider>(_time);
        builder.Logging.AddFakeLogging();
        if (store is not null)
        {
            builder.Services.AddKeyedSingleton("default", store);
        }

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

    /// <summary>Another application service that reads the cache when it starts.</summary>
    private sealed class ReadsAtStart(string key) : IHostedService
    {
        private IDialogueCache? _cache;

        public string? Seen { get; private set; }

        public ReadsAtStart Attach(IDialogueCache cache)
        {
            _cache = cache;
            return this;
        }

        public Task StartAsync(CancellationToken cancellationToken)
        {
            Seen = _cache!.Get(key);
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
