using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Dialogue.Caching.Tests.Hosting;

public sealed class DependencyInjectionTests
{
    [Fact]
    public void AddDialogueCache_BareServiceCollection_ResolvesOneSingleton()
    {
        var services = new ServiceCollection();
        services.AddDialogueCache();
        using var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });

        var cache = provider.GetRequiredService<DialogueCache>();

        Assert.Same(cache, provider.GetRequiredService<IDialogueCache>());
        Assert.Same(cache, provider.GetRequiredService<DialogueCache>());
        Assert.Same(cache, provider.GetRequiredKeyedService<IDialogueCache>("default"));
        cache.Set("k", "v");
        Assert.Equal("v", cache.Get("k"));
    }

    [Fact]
    public void AddDialogueCache_ReturnsBuilderForChaining()
    {
        var services = new ServiceCollection();

        var builder = services.AddDialogueCache();

        Assert.Same(services, builder.Services);
        Assert.Equal("default", builder.Name);
    }

    [Fact]
    public void AddDialogueCache_UserRegisteredCacheFirst_IsNotReplaced()
    {
        var mine = new DialogueCache(new DialogueCacheOptions { MaxSize = 7 });
        var services = new ServiceCollection();
        services.AddSingleton<IDialogueCache>(mine);

        services.AddDialogueCache();
        using var provider = services.BuildServiceProvider();

        Assert.Same(mine, provider.GetRequiredService<IDialogueCache>());
    }

    [Fact]
    public void AddDialogueCache_CalledTwice_RegistersServicesOnceAndAppliesBothConfigurations()
    {
        var services = new ServiceCollection();
        services.AddDialogueCache(o => o.MaxSize = 5);
        services.AddDialogueCache(o => o.Ttl = TimeSpan.FromSeconds(7));
        using var provider = services.BuildServiceProvider();

        Assert.Single(provider.GetServices<IHostedService>());
        var stats = provider.GetRequiredService<IDialogueCache>().Analytics();
        Assert.Equal(5, stats.MaxSize);
        Assert.Equal(TimeSpan.FromSeconds(7), stats.Ttl);
    }

    [Fact]
    public void AddDialogueCache_Configuration_BindsEveryOption()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["DialogueCache:Name"] = "npc",
            ["DialogueCache:MaxSize"] = "42",
            ["DialogueCache:Ttl"] = "00:02:00",
            ["DialogueCache:SweepInterval"] = "00:00:05",
            ["DialogueCache:TopKeysCount"] = "3",
            ["DialogueCache:PrewarmFiles:0"] = "a.json",
            ["DialogueCache:PrewarmFiles:1"] = "b.jsonl",
            ["DialogueCache:EvictionPolicy"] = "Lru",
        }).Build();
        var services = new ServiceCollection();

        services.AddDialogueCache(configuration.GetSection("DialogueCache"));
        using var provider = services.BuildServiceProvider();

        var options = provider.GetRequiredService<IOptions<DialogueCacheOptions>>().Value;
        Assert.Equal("npc", options.Name);
        Assert.Equal(42, options.MaxSize);
        Assert.Equal(TimeSpan.FromMinutes(2), options.Ttl);
        Assert.Equal(TimeSpan.FromSeconds(5), options.SweepInterval);
        Assert.Equal(3, options.TopKeysCount);
        Assert.Equal(["a.json", "b.jsonl"], options.PrewarmFiles);
        Assert.Equal(EvictionPolicy.Lru, options.EvictionPolicy);
        Assert.Equal("npc", provider.GetRequiredService<DialogueCache>().Name);
    }

    [Fact]
    public void AddDialogueCache_TimeProviderRegistered_IsUsedForExpiry()
    {
        var time = new FakeTimeProvider();
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(time);
        services.AddDialogueCache(o => o.Ttl = TimeSpan.FromSeconds(10));
        using var provider = services.BuildServiceProvider();
        var cache = provider.GetRequiredService<IDialogueCache>();

        cache.Set("k", "v");
        time.Advance(TimeSpan.FromSeconds(11));

        Assert.Null(cache.Get("k"));
    }

    [Fact]
    public void AddDialogueCache_Named_ResolvesSeparateKeyedCaches()
    {
        var services = new ServiceCollection();
        services.AddDialogueCache(o => o.MaxSize = 10);
        var npc = services.AddDialogueCache("npc", o => o.MaxSize = 20);
        using var provider = services.BuildServiceProvider();

        var defaultCache = provider.GetRequiredService<IDialogueCache>();
        var npcCache = provider.GetRequiredKeyedService<IDialogueCache>("npc");
        defaultCache.Set("k", "default");
        npcCache.Set("k", "npc");

        Assert.Equal("npc", npc.Name);
        Assert.NotSame(defaultCache, npcCache);
        Assert.Equal("default", defaultCache.Get("k"));
        Assert.Equal("npc", npcCache.Get("k"));
        Assert.Equal(20, npcCache.Analytics().MaxSize);
        Assert.Equal("npc", provider.GetRequiredKeyedService<DialogueCache>("npc").Name);
        Assert.Equal(2, provider.GetServices<IHostedService>().Count());
    }

    [Fact]
    public void AddDialogueCache_BadOptions_ResolvingThrowsValidationNamingOption()
    {
        var services = new ServiceCollection();
        services.AddDialogueCache(o => o.MaxSize = 0);
        using var provider = services.BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IDialogueCache>());

        Assert.Contains("DialogueCacheOptions.MaxSize", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AddDialogueCache_BadOptions_FailsHostStartNamingOption()
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Services.AddDialogueCache(o => o.Ttl = TimeSpan.Zero);
        using var host = builder.Build();

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains("DialogueCacheOptions.Ttl", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null)]
    [InlineData(" ")]
    public void AddDialogueCache_BadName_ThrowsNamingName(string? name)
    {
        var error = Assert.ThrowsAny<ArgumentException>(() => new ServiceCollection().AddDialogueCache(name!, (Action<DialogueCacheOptions>?)null));
        Assert.Equal("name", error.ParamName);
    }

    [Fact]
    public void AddDialogueCache_NullServices_ThrowsNamingServices()
    {
        var error = Assert.Throws<ArgumentNullException>(() => DialogueCacheServiceCollectionExtensions.AddDialogueCache(null!));
        Assert.Equal("services", error.ParamName);
    }

    [Fact]
    public void AddDialogueCache_NullConfiguration_ThrowsNamingConfiguration()
    {
        var error = Assert.Throws<ArgumentNullException>(() => new ServiceCollection().AddDialogueCache((IConfiguration)null!));
        Assert.Equal("configuration", error.ParamName);
    }
}
