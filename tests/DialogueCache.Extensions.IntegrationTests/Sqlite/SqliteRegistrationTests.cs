using Dialogue.Caching.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Dialogue.Caching.IntegrationTests.Sqlite;

/// <summary><c>AddSqliteStore</c>, the store's constructor and members: registration, options validation, bad input.</summary>
public sealed class SqliteRegistrationTests : IDisposable
{
    private readonly SqliteTestFolder _folder = new();

    private string ConnectionString => SqliteTestFolder.ConnectionString(_folder.Db);

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task AddSqliteStore_DefaultCache_RegistersKeyedStoreAndReturnsSameBuilder()
    {
        var services = new ServiceCollection();
        var builder = services.AddDialogueCache();

        Assert.Same(builder, builder.AddSqliteStore(ConnectionString));

        await using var provider = services.BuildServiceProvider();
        var store = Assert.IsType<SqliteDialogueCacheStore>(provider.GetRequiredKeyedService<IDialogueCacheStore>("default"));
        Assert.Equal(_folder.Db, store.Path);
        provider.GetRequiredService<IDialogueCache>().Set("k", "v");
        Assert.Equal(1000 * 10, store.MaxRows);
    }

    [Fact]
    public async Task AddSqliteStore_NamedCache_UsesOptionsAndStoreOfThatName()
    {
        var services = new ServiceCollection();
        services.AddDialogueCache("npc", o => o.MaxSize = 5).AddSqliteStore(ConnectionString, o => o.MaxRows = 7);
        services.AddDialogueCache().AddSqliteStore(SqliteTestFolder.ConnectionString(_folder.PathOf("other.db")));

        await using var provider = services.BuildServiceProvider();
        var npc = provider.GetRequiredKeyedService<IDialogueCache>("npc");
        npc.Set("k", "v");
        await provider.GetRequiredKeyedService<IDialogueCacheStore>("npc").FlushAsync(CancellationToken.None);

        Assert.Equal(7, provider.GetRequiredService<IOptionsMonitor<SqliteStoreOptions>>().Get("npc").MaxRows);
        Assert.Null(provider.GetRequiredService<IOptionsMonitor<SqliteStoreOptions>>().CurrentValue.MaxRows);
        Assert.Equal(7, ((SqliteDialogueCacheStore)provider.GetRequiredKeyedService<IDialogueCacheStore>("npc")).MaxRows);
        Assert.Equal("v", RawDatabase.Rows(_folder.Db, "npc")["k"].Value);
    }

    [Fact]
    public async Task AddSqliteStore_StoreAlreadyRegistered_KeepsTheFirst()
    {
        var services = new ServiceCollection();
        var own = new SqliteDialogueCacheStore(SqliteTestFolder.ConnectionString(_folder.PathOf("own.db")));
        services.AddKeyedSingleton<IDialogueCacheStore>("default", own);

        services.AddDialogueCache().AddSqliteStore(ConnectionString);

        await using var provider = services.BuildServiceProvider();
        Assert.Same(own, provider.GetRequiredKeyedService<IDialogueCacheStore>("default"));
        own.Dispose();
    }

    [Fact]
    public async Task AddSqliteStore_RelativePath_IsRelativeToContentRoot()
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { ContentRootPath = _folder.Root });
        builder.Services.AddSingleton<TimeProvider>(new FakeTimeProvider());
        builder.Services.AddDialogueCache().AddSqliteStore("Data Source=data/relative.db");
        using var host = builder.Build();

        await host.StartAsync();
        await host.StopAsync();

        Assert.True(File.Exists(_folder.PathOf("data/relative.db")));
    }

    [Fact]
    public void AddSqliteStore_NullBuilder_ThrowsNamingBuilder()
    {
        Assert.Equal("builder", Assert.Throws<ArgumentNullException>(() => SqliteDialogueCacheBuilderExtensions.AddSqliteStore(null!, ConnectionString)).ParamName);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("Data Source=")]
    [InlineData("Nonsense Keyword=1")]
    [InlineData("Data Source=:memory:")]
    [InlineData("Data Source=cache;Mode=Memory")]
    [InlineData("Data Source=file:cache.db?mode=memory")]
    public void AddSqliteStore_ConnectionStringWithoutFile_ThrowsNamingConnectionString(string connectionString)
    {
        var builder = new ServiceCollection().AddDialogueCache();

        var error = Assert.ThrowsAny<ArgumentException>(() => builder.AddSqliteStore(connectionString));

        Assert.Equal("connectionString", error.ParamName);
        Assert.Equal("connectionString", Assert.ThrowsAny<ArgumentException>(() => new SqliteDialogueCacheStore(connectionString)).ParamName);
    }

    [Fact]
    public void AddSqliteStore_NullConnectionString_ThrowsArgumentNull()
    {
        var builder = new ServiceCollection().AddDialogueCache();

        Assert.Equal("connectionString", Assert.Throws<ArgumentNullException>(() => builder.AddSqliteStore(null!)).ParamName);
        Assert.Equal("connectionString", Assert.Throws<ArgumentNullException>(() => new SqliteDialogueCacheStore(null!)).ParamName);
    }

    public static TheoryData<string, Action<SqliteStoreOptions>> BadOptions => new()
    {
        { "SqliteStoreOptions.WriteMode", o => o.WriteMode = (SqliteWriteMode)42 },
        { "SqliteStoreOptions.FlushInterval", o => o.FlushInterval = TimeSpan.Zero },
        { "SqliteStoreOptions.MaxQueueLength", o => o.MaxQueueLength = 0 },
        { "SqliteStoreOptions.MaxRows", o => o.MaxRows = 0 },
        { "SqliteStoreOptions.CleanupInterval", o => o.CleanupInterval = TimeSpan.FromSeconds(-1) },
        { "SqliteStoreOptions.BusyTimeout", o => o.BusyTimeout = TimeSpan.Zero },
    };

    [Theory]
    [MemberData(nameof(BadOptions))]
    public async Task HostStart_BadOption_FailsNamingTheOption(string option, Action<SqliteStoreOptions> configure)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Services.AddDialogueCache().AddSqliteStore(ConnectionString, configure);
        using var host = builder.Build();

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains(option, error.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(_folder.Db));
    }

    [Theory]
    [MemberData(nameof(BadOptions))]
    public void Constructor_BadOption_ThrowsNamingTheOption(string option, Action<SqliteStoreOptions> configure)
    {
        var options = new SqliteStoreOptions();
        configure(options);

        var error = Assert.Throws<ArgumentException>(() => new SqliteDialogueCacheStore(ConnectionString, options));

        Assert.Equal("options", error.ParamName);
        Assert.Contains(option, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Members_BadInput_ThrowNamingArgument()
    {
        await using var harness = await StoreHarness.StartAsync(ConnectionString);
        var store = harness.Store;

        Assert.Equal("key", Assert.Throws<ArgumentNullException>(() => store.Get(null!)).ParamName);
        Assert.Equal("key", Assert.Throws<ArgumentException>(() => store.Get(string.Empty)).ParamName);
        Assert.Equal("key", (await Assert.ThrowsAsync<ArgumentException>(() => store.GetAsync(string.Empty, default).AsTask())).ParamName);
        Assert.Equal("entry", Assert.Throws<ArgumentNullException>(() => store.Set(default)).ParamName);
        Assert.Equal("entry", Assert.Throws<ArgumentException>(() => store.Set(new DialogueCacheStoreEntry("k", 42, DateTimeOffset.MaxValue))).ParamName);
        Assert.Equal("key", Assert.Throws<ArgumentException>(() => store.Remove(string.Empty)).ParamName);
        Assert.Equal("pattern", Assert.Throws<ArgumentException>(() => store.RemoveContaining(string.Empty)).ParamName);
        Assert.Equal("pattern", Assert.Throws<ArgumentNullException>(() => store.RemoveContaining(null!)).ParamName);
        Assert.Equal("host", Assert.Throws<ArgumentNullException>(() => store.Attach(null!)).ParamName);
        Assert.Throws<InvalidOperationException>(() => store.Attach(harness.Cache));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => store.GetAsync("k", new CancellationToken(canceled: true)).AsTask());
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => store.StartAsync(new CancellationToken(canceled: true)));
        Assert.Empty(harness.ErrorOperations);
        Assert.Equal(0, RawDatabase.Count(_folder.Db));
    }

    [Fact]
    public async Task Members_NotAttached_ThrowInvalidOperation()
    {
        using var store = new SqliteDialogueCacheStore(ConnectionString);

        Assert.Contains("not attached", Assert.Throws<InvalidOperationException>(() => store.Get("k")).Message, StringComparison.Ordinal);
        Assert.Throws<InvalidOperationException>(() => store.Set(new DialogueCacheStoreEntry("k", "v", DateTimeOffset.MaxValue)));
        Assert.Throws<InvalidOperationException>(() => store.Remove("k"));
        Assert.Throws<InvalidOperationException>(store.Clear);
        await Assert.ThrowsAsync<InvalidOperationException>(() => store.StartAsync(CancellationToken.None));
        await Assert.ThrowsAsync<InvalidOperationException>(() => store.FlushAsync(CancellationToken.None));
        Assert.False(File.Exists(_folder.Db));
    }

    [Fact]
    public async Task DisposeAsync_Twice_IsHarmless()
    {
        var harness = await StoreHarness.StartAsync(ConnectionString);
        await harness.Store.DisposeAsync();
        harness.Store.Dispose();
        await harness.DisposeAsync();

        await Assert.ThrowsAsync<ObjectDisposedException>(() => harness.Store.StartAsync(CancellationToken.None));
        Assert.Null(harness.Store.Get("k"));
    }
}
