using Dialogue.Caching.IntegrationTests.Redis.Support;
using Dialogue.Caching.Redis;
using Dialogue.Caching.Redis.Internal;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Dialogue.Caching.IntegrationTests.Redis;

/// <summary>
/// <c>AddRedisStore</c>: bad input, registration, options validation at start. Nothing here needs a server (the
/// registered store used against one is <see cref="RedisStoreDependencyInjectionTests"/>).
/// </summary>
public sealed class RedisStoreRegistrationTests
{
    [Fact]
    public void AddRedisStore_NullBuilder_ThrowsNamingBuilder()
    {
        var exception = Assert.Throws<ArgumentNullException>(() => RedisDialogueCacheBuilderExtensions.AddRedisStore(null!, "127.0.0.1:6379"));
        Assert.Equal("builder", exception.ParamName);
    }

    [Fact]
    public void AddRedisStore_NullConfiguration_ThrowsNamingConfiguration()
    {
        var builder = new ServiceCollection().AddDialogueCache();
        Assert.Equal("configuration", Assert.Throws<ArgumentNullException>(() => builder.AddRedisStore(null!)).ParamName);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("127.0.0.1:6379,notAKeyword=1")]
    public void AddRedisStore_EmptyOrInvalidConfiguration_ThrowsNamingConfiguration(string configuration)
    {
        var builder = new ServiceCollection().AddDialogueCache();
        var exception = Assert.Throws<ArgumentException>(() => builder.AddRedisStore(configuration));
        Assert.Equal("configuration", exception.ParamName);
    }

    [Fact]
    public void AddRedisStore_InvalidConfiguration_DoesNotRepeatTheStringWhichMayHoldAPassword()
    {
        var builder = new ServiceCollection().AddDialogueCache();
        var exception = Assert.Throws<ArgumentException>(() => builder.AddRedisStore("127.0.0.1:6379,password=hunter2,bogus=1"));
        Assert.DoesNotContain("hunter2", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddRedisStore_ReturnsTheSameBuilderForChaining()
    {
        var builder = new ServiceCollection().AddDialogueCache();
        Assert.Same(builder, builder.AddRedisStore("127.0.0.1:6379"));
    }

    [Fact]
    public void AddRedisStore_RegistersTheStoreUnderEachCachesNameWithItsOwnOptions()
    {
        var services = new ServiceCollection();
        services.AddDialogueCache().AddRedisStore("127.0.0.1:1", o => o.KeyPrefix = "first:");
        services.AddDialogueCache("npc", configure: null).AddRedisStore("127.0.0.1:2", o => o.KeyPrefix = "second:");
        using var provider = services.BuildServiceProvider();

        Assert.IsType<RedisDialogueCacheStore>(provider.GetRequiredKeyedService<IDialogueCacheStore>("default"));
        Assert.IsType<RedisDialogueCacheStore>(provider.GetRequiredKeyedService<IDialogueCacheStore>("npc"));
        var monitor = provider.GetRequiredService<IOptionsMonitor<RedisStoreOptions>>();
        Assert.Equal(("127.0.0.1:1", "first:"), (monitor.Get(Options.DefaultName).Configuration, monitor.Get(Options.DefaultName).KeyPrefix));
        Assert.Equal(("127.0.0.1:2", "second:"), (monitor.Get("npc").Configuration, monitor.Get("npc").KeyPrefix));
    }

    [Fact]
    public void AddRedisStore_StoreRegisteredByTheUser_IsKept()
    {
        var mine = new NullStore();
        var services = new ServiceCollection();
        services.AddKeyedSingleton<IDialogueCacheStore>("default", mine);
        services.AddDialogueCache().AddRedisStore("127.0.0.1:6379");
        using var provider = services.BuildServiceProvider();

        Assert.Same(mine, provider.GetRequiredKeyedService<IDialogueCacheStore>("default"));
    }

    public static TheoryData<string, Action<RedisStoreOptions>> BadOptions => new()
    {
        { "RedisStoreOptions.KeyPrefix", o => o.KeyPrefix = "" },
        { "RedisStoreOptions.OperationTimeout", o => o.OperationTimeout = TimeSpan.Zero },
        { "RedisStoreOptions.OperationTimeout", o => o.OperationTimeout = TimeSpan.FromHours(1) },
        { "RedisStoreOptions.CircuitBreakerFailureThreshold", o => o.CircuitBreakerFailureThreshold = 0 },
        { "RedisStoreOptions.CircuitBreakerBreakDuration", o => o.CircuitBreakerBreakDuration = TimeSpan.FromSeconds(-1) },
        { "RedisStoreOptions.ScanBatchSize", o => o.ScanBatchSize = 0 },
        { "RedisStoreOptions.ScanBatchSize", o => o.ScanBatchSize = 100_001 },
        { "RedisStoreOptions.Configuration", o => o.Configuration = null },
        { "RedisStoreOptions.Configuration", o => o.Configuration = "host:1,nonsense=2" },
    };

    [Theory]
    [MemberData(nameof(BadOptions))]
    public async Task HostStart_BadOption_FailsWithValidationExceptionNamingTheOption(string option, Action<RedisStoreOptions> configure)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        // Validation fails the start before anything connects: the endpoint does not matter.
        builder.Services.AddDialogueCache().AddRedisStore("127.0.0.1:1", configure);
        using var host = builder.Build();

        var exception = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains(option, exception.Message, StringComparison.Ordinal);
    }

    private sealed class NullStore : IDialogueCacheStore
    {
        public void Attach(IDialogueCacheStoreHost host)
        {
        }

        public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public DialogueCacheStoreEntry? Get(string key) => null;

        public ValueTask<DialogueCacheStoreEntry?> GetAsync(string key, CancellationToken cancellationToken) => ValueTask.FromResult<DialogueCacheStoreEntry?>(null);

        public void Set(DialogueCacheStoreEntry entry)
        {
        }

        public void Remove(string key)
        {
        }

        public void RemoveContaining(string pattern)
        {
        }

        public void Clear()
        {
        }

        public Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
