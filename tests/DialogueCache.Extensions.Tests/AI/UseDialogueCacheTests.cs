using Dialogue.Caching.AI;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Dialogue.Caching.Tests.AI;

public sealed class UseDialogueCacheTests
{
    [Fact]
    public async Task UseDialogueCache_WithAddChatClient_CachesInTheRegisteredDialogueCache()
    {
        var model = new FakeChatClient();
        var services = new ServiceCollection();
        services.AddDialogueCache();
        services.AddChatClient(model).UseDialogueCache();
        await using var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });

        var chat = provider.GetRequiredService<IChatClient>();
        await chat.GetResponseAsync(Chat.Conversation("Hello"));
        await chat.GetResponseAsync(Chat.Conversation("Hello"));

        var middleware = chat.GetService<DialogueCachingChatClient>();
        Assert.NotNull(middleware);
        Assert.Same(provider.GetRequiredService<IDialogueCache>(), middleware.Cache);
        Assert.Equal(1, model.Calls);
        Assert.Equal(1, provider.GetRequiredService<DialogueCache>().Analytics().Hits);
    }

    [Fact]
    public void UseDialogueCache_NoCacheRegisteredOrGiven_ThrowsNamingAddDialogueCache()
    {
        var services = new ServiceCollection();
        services.AddChatClient(new FakeChatClient()).UseDialogueCache();
        using var provider = services.BuildServiceProvider();

        var error = Assert.Throws<InvalidOperationException>(() => provider.GetRequiredService<IChatClient>());

        Assert.Contains("AddDialogueCache()", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void UseDialogueCache_NoServiceProvider_ThrowsWhenBuiltWithoutACache()
    {
        var builder = new ChatClientBuilder(new FakeChatClient()).UseDialogueCache();

        Assert.Throws<InvalidOperationException>(() => builder.Build());
    }

    [Fact]
    public async Task UseDialogueCache_CacheGiven_IsUsedRatherThanTheRegisteredOne()
    {
        using var mine = new DialogueCache();
        var services = new ServiceCollection();
        services.AddDialogueCache();
        services.AddChatClient(new FakeChatClient()).UseDialogueCache(mine);
        await using var provider = services.BuildServiceProvider();

        await provider.GetRequiredService<IChatClient>().GetResponseAsync(Chat.Conversation("Hello"));

        Assert.Equal(1, mine.Analytics().CurrentSize);
        Assert.Equal(0, provider.GetRequiredService<DialogueCache>().Analytics().CurrentSize);
    }

    [Fact]
    public async Task UseDialogueCache_Configure_IsAppliedToTheClient()
    {
        using var cache = new DialogueCache();
        using var chat = new ChatClientBuilder(new FakeChatClient())
            .UseDialogueCache(cache, c => { c.Variants = 4; c.DefaultCharacter = "npc:guard"; })
            .Build();

        await chat.GetResponseAsync(Chat.Conversation("Halt!"));

        var middleware = chat.GetService<DialogueCachingChatClient>()!;
        Assert.Equal(4, middleware.Variants);
        Assert.StartsWith("npc:guard|", Assert.Single(cache.Analytics().MostFrequentlyRequested).Key, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UseDialogueCache_TimeProviderRegistered_MeasuresModelLatencyWithIt()
    {
        var time = new FakeTimeProvider();
        var model = new FakeChatClient { Time = time, Latency = TimeSpan.FromSeconds(3) };
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(time);
        services.AddDialogueCache();
        services.AddChatClient(model).UseDialogueCache();
        await using var provider = services.BuildServiceProvider();
        var chat = provider.GetRequiredService<IChatClient>();

        await chat.GetResponseAsync(Chat.Conversation("Hello"));
        await chat.GetResponseAsync(Chat.Conversation("Hello"));

        Assert.Equal(TimeSpan.FromSeconds(3), provider.GetRequiredService<DialogueCache>().Analytics().LatencySaved);
    }

    [Fact]
    public void UseDialogueCache_ReturnsTheSameBuilderForChaining()
    {
        var builder = new ChatClientBuilder(new FakeChatClient());

        Assert.Same(builder, builder.UseDialogueCache());
    }

    [Fact]
    public void UseDialogueCache_NullBuilder_Throws()
    {
        var error = Assert.Throws<ArgumentNullException>(() => ((ChatClientBuilder)null!).UseDialogueCache());

        Assert.Equal("builder", error.ParamName);
    }
}
