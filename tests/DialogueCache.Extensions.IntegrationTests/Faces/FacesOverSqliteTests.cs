using Dialogue.Caching.IntegrationTests.Sqlite;
using Dialogue.Caching.IntegrationTests.Support;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Caching.Hybrid;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;

namespace Dialogue.Caching.IntegrationTests.Faces;

/// <summary>
/// The chat middleware (<c>UseDialogueCache</c>) and the HybridCache face (<c>AsHybridCache</c>) over the real SQLite
/// tier: what they cache survives a restart, and the next process serves it without calling the model or the factory.
/// </summary>
public sealed class FacesOverSqliteTests : IDisposable
{
    private readonly SqliteTestFolder _folder = new();
    private readonly FakeTimeProvider _time = new();

    private string ConnectionString => SqliteTestFolder.ConnectionString(_folder.Db);

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task ChatResponse_NewServiceProviderOverTheSameFile_IsServedWithoutCallingTheModel()
    {
        var model = new ScriptedChatClient(_ => "Welcome to the forge, traveller.");
        await using (var first = Provider(model))
        {
            var response = await first.GetRequiredService<IChatClient>().GetResponseAsync(ChatConversation.Hello(), ChatConversation.Options());
            Assert.Equal("Welcome to the forge, traveller.", response.Text);
        } // disposing the provider flushes the store

        Assert.Equal(1, model.Calls);
        Assert.Single(RawDatabase.Rows(_folder.Db), row => row.Key.StartsWith(ChatConversation.Character + "|forge|", StringComparison.Ordinal));

        var unused = ScriptedChatClient.MustNotBeCalled();
        await using var second = Provider(unused);
        var again = await second.GetRequiredService<IChatClient>().GetResponseAsync(ChatConversation.Hello(), ChatConversation.Options());

        Assert.Equal("Welcome to the forge, traveller.", again.Text);
        Assert.Equal(0, unused.Calls);
        var stats = second.GetRequiredService<DialogueCache>().Analytics();
        Assert.Equal((1, 1), (stats.Hits, stats.StoreHits)); // read from the file, no host to warm it up
    }

    [Fact]
    public async Task StreamedChatResponse_HostRestart_IsLoadedBackAndReplayedAsAStream()
    {
        var model = new ScriptedChatClient(_ => "Steel needs patience, and so do I.");
        using (var first = Host(model))
        {
            await first.StartAsync();
            var (text, updates) = await StreamAsync(first.Services.GetRequiredService<IChatClient>());
            Assert.Equal("Steel needs patience, and so do I.", text);
            Assert.True(updates > 2, "a miss streams the model's updates through");
            await first.StopAsync();
        }

        var unused = ScriptedChatClient.MustNotBeCalled();
        using var second = Host(unused);
        await second.StartAsync(); // warm restart: the entry is in memory before the first request

        var cache = second.Services.GetRequiredService<DialogueCache>();
        Assert.Equal(1, cache.Count);
        Assert.Equal("Steel needs patience, and so do I.", (await StreamAsync(second.Services.GetRequiredService<IChatClient>())).Text);
        Assert.Equal(0, unused.Calls);
        Assert.Equal(0, cache.Analytics().StoreHits);
        await second.StopAsync();
    }

    [Fact]
    public async Task HybridCache_NewServiceProviderOverTheSameFile_SkipsTheFactory()
    {
        var made = 0;
        await using (var first = Provider(ScriptedChatClient.MustNotBeCalled()))
        {
            var greeting = await first.GetRequiredService<HybridCache>().GetOrCreateAsync("npc:smith|greeting",
                _ => { made++; return ValueTask.FromResult(new Greeting("Hail, friend.", 3)); });
            Assert.Equal(new Greeting("Hail, friend.", 3), greeting);
        }

        await using var second = Provider(ScriptedChatClient.MustNotBeCalled());
        var hybrid = second.GetRequiredService<HybridCache>();
        var again = await hybrid.GetOrCreateAsync<Greeting>("npc:smith|greeting",
            _ => throw new InvalidOperationException("The factory was called: the stored value was not served."));

        Assert.Equal(new Greeting("Hail, friend.", 3), again);
        Assert.Equal(1, made);

        // Removal through the face reaches the file too (removals are applied at once).
        await hybrid.RemoveAsync("npc:smith|greeting");
        Assert.DoesNotContain("npc:smith|greeting", RawDatabase.Rows(_folder.Db).Keys);
    }

    private static async Task<(string Text, int Updates)> StreamAsync(IChatClient chat)
    {
        var updates = new List<ChatResponseUpdate>();
        await foreach (var update in chat.GetStreamingResponseAsync(ChatConversation.Hello("What do you sell?"), ChatConversation.Options()))
        {
            updates.Add(update);
        }

        return (updates.ToChatResponse().Text, updates.Count);
    }

    private ServiceProvider Provider(IChatClient model)
    {
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(_time);
        services.AddDialogueCache().AddSqliteStore(ConnectionString).AsHybridCache();
        services.AddChatClient(model).UseDialogueCache();
        return services.BuildServiceProvider();
    }

    private IHost Host(IChatClient model)
    {
        var builder = Microsoft.Extensions.Hosting.Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Services.AddSingleton<TimeProvider>(_time);
        builder.Services.AddDialogueCache().AddSqliteStore(ConnectionString);
        builder.Services.AddChatClient(model).UseDialogueCache();
        return builder.Build();
    }
}
