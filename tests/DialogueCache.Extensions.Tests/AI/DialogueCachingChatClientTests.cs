using Dialogue.Caching.AI;
using Dialogue.Caching.Tests.Support;
using Microsoft.Extensions.AI;

namespace Dialogue.Caching.Tests.AI;

public sealed class DialogueCachingChatClientTests
{
    [Fact]
    public async Task GetResponseAsync_SecondIdenticalRequest_IsServedFromCacheWithoutModelCall()
    {
        using var rig = new ChatRig();

        var first = await rig.Ask("Can you fix my sword?");
        var second = await rig.Ask("Can you fix my sword?");

        Assert.Equal(1, rig.Model.Calls);
        Assert.Equal(first.Text, second.Text);
        var stats = rig.Cache.Analytics();
        Assert.Equal(1, stats.Misses);
        Assert.Equal(1, stats.Hits);
        Assert.Equal(1, stats.CurrentSize);
    }

    [Fact]
    public async Task GetResponseAsync_DifferentRequest_CallsModelAgain()
    {
        using var rig = new ChatRig();

        await rig.Ask("Can you fix my sword?");
        await rig.Ask("Do you sell shields?");

        Assert.Equal(2, rig.Model.Calls);
        Assert.Equal(2, rig.Cache.Analytics().CurrentSize);
    }

    [Fact]
    public async Task GetResponseAsync_Hit_ReturnsStoredFinishReasonUsageModelAndIds()
    {
        using var rig = new ChatRig();
        var original = await rig.Ask("Can you fix my sword?");

        var cached = await rig.Ask("Can you fix my sword?");

        Assert.Equal(ChatFinishReason.Stop, cached.FinishReason);
        Assert.Equal(12, cached.Usage?.InputTokenCount);
        Assert.Equal(34, cached.Usage?.OutputTokenCount);
        Assert.Equal("fake-model", cached.ModelId);
        Assert.Equal(original.ResponseId, cached.ResponseId);
        Assert.Equal(ChatRole.Assistant, Assert.Single(cached.Messages).Role);
    }

    [Fact]
    public async Task GetResponseAsync_Miss_ReturnsTheModelsOwnResponseAndAHitReturnsAStoredCopy()
    {
        using var rig = new ChatRig();

        var miss = await rig.Ask("Anything new?");
        var hit = await rig.Ask("Anything new?");

        Assert.Equal("raw-1", miss.RawRepresentation);   // the object the model returned
        Assert.Null(hit.RawRepresentation);               // raw representations are not stored
        Assert.Equal(miss.Text, hit.Text);
    }

    [Fact]
    public async Task GetResponseAsync_HitIsACopy_MutatingItDoesNotChangeTheCache()
    {
        using var rig = new ChatRig();
        await rig.Ask("Can you fix my sword?");

        var hit = await rig.Ask("Can you fix my sword?");
        hit.Messages[0].Contents.Clear();
        hit.Messages[0].Contents.Add(new TextContent("tampered"));
        var again = await rig.Ask("Can you fix my sword?");

        Assert.Equal("Welcome to the forge, traveller. What do you need?", again.Text);
    }

    [Fact]
    public async Task GetResponseAsync_EntryOutlivesCacheTtl_CallsModelAgain()
    {
        using var rig = new ChatRig(new DialogueCacheOptions { Ttl = TimeSpan.FromSeconds(30) });
        await rig.Ask("Can you fix my sword?");

        rig.Time.Advance(TimeSpan.FromSeconds(31));
        await rig.Ask("Can you fix my sword?");

        Assert.Equal(2, rig.Model.Calls);
    }

    [Fact]
    public async Task GetResponseAsync_ClientTtl_OverridesCacheTtl()
    {
        using var rig = new ChatRig(new DialogueCacheOptions { Ttl = TimeSpan.FromHours(1) }, c => c.Ttl = TimeSpan.FromSeconds(10));
        await rig.Ask("Can you fix my sword?");

        rig.Time.Advance(TimeSpan.FromSeconds(9));
        await rig.Ask("Can you fix my sword?");
        Assert.Equal(1, rig.Model.Calls);

        rig.Time.Advance(TimeSpan.FromSeconds(2));
        await rig.Ask("Can you fix my sword?");
        Assert.Equal(2, rig.Model.Calls);
    }

    [Fact]
    public async Task GetResponseAsync_CacheFull_EvictsLeastRecentlyUsedResponse()
    {
        using var rig = new ChatRig(new DialogueCacheOptions { MaxSize = 2 });
        await rig.Ask("one");
        await rig.Ask("two");
        await rig.Ask("three");

        await rig.Ask("one");

        Assert.Equal(4, rig.Model.Calls);
        Assert.Equal(2, rig.Cache.Analytics().CurrentSize);
        Assert.True(rig.Cache.Analytics().Evictions.Capacity >= 1);
    }

    [Fact]
    public async Task GetResponseAsync_CacheWithStore_WritesResponseToSecondTierAndServesItAfterRestart()
    {
        var store = new RecordingStore();
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider();
        var model = new FakeChatClient { Time = time };
        using (var cache = new DialogueCache(new DialogueCacheOptions(), store, time))
        using (var client = new DialogueCachingChatClient(model, cache, time))
        {
            await client.GetResponseAsync(Chat.Conversation("Can you fix my sword?"));
        }

        var stored = Assert.Single(store.Entries);
        Assert.StartsWith("chat|", stored.Key, StringComparison.Ordinal);

        // A new cache (another node, or after a restart) in front of the same store.
        var restartedStore = new RecordingStore();
        foreach (var entry in store.Entries)
        {
            restartedStore.Entries[entry.Key] = entry.Value;
        }

        using var restarted = new DialogueCache(new DialogueCacheOptions(), restartedStore, time);
        using var restartedClient = new DialogueCachingChatClient(model, restarted, time);
        var response = await restartedClient.GetResponseAsync(Chat.Conversation("Can you fix my sword?"));

        Assert.Equal(1, model.Calls);
        Assert.Equal("Welcome to the forge, traveller. What do you need?", response.Text);
        Assert.Equal(1, restarted.Analytics().StoreHits);
    }

    [Fact]
    public async Task GetResponseAsync_AnotherIDialogueCacheImplementation_CachesButRecordsNoSavings()
    {
        using var rig = new ChatRig();
        var forwarding = new ForwardingDialogueCache(rig.Cache);
        using var client = new DialogueCachingChatClient(rig.Model, forwarding, rig.Time);

        await client.GetResponseAsync(Chat.Conversation("Can you fix my sword?"));
        await client.GetResponseAsync(Chat.Conversation("Can you fix my sword?"));

        Assert.Equal(1, rig.Model.Calls);
        Assert.Equal(1, rig.Cache.Analytics().Hits);
        Assert.Equal(0, rig.Cache.Analytics().OutputTokensSaved);
    }

    [Fact]
    public async Task GetResponseAsync_EntryInAnotherFormat_IsReplacedByAFreshResponse()
    {
        using var rig = new ChatRig();
        await rig.Ask("Can you fix my sword?");
        var key = rig.SingleKey();
        rig.Cache.Set(key, "{\"format\":999}");

        var response = await rig.Ask("Can you fix my sword?");
        var again = await rig.Ask("Can you fix my sword?");

        Assert.Equal(2, rig.Model.Calls);
        Assert.Equal(response.Text, again.Text);
        Assert.Contains("\"format\":1", rig.Cache.Get(key), StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetResponseAsync_StoredEntry_IsVersionedJsonWithLatencyAndUsage()
    {
        using var rig = new ChatRig();
        await rig.Ask("Can you fix my sword?");

        using var json = System.Text.Json.JsonDocument.Parse(rig.Cache.Get(rig.SingleKey())!);

        var root = json.RootElement;
        Assert.Equal(1, root.GetProperty("format").GetInt32());
        var variant = Assert.Single(root.GetProperty("variants").EnumerateArray().ToList());
        Assert.Equal(TimeSpan.FromMilliseconds(800).Ticks, variant.GetProperty("latencyTicks").GetInt64());
        Assert.Equal(12, variant.GetProperty("inputTokens").GetInt64());
        Assert.Equal(34, variant.GetProperty("outputTokens").GetInt64());
        Assert.Equal("stop", variant.GetProperty("response").GetProperty("finishReason").GetString());
    }

    [Fact]
    public async Task GetResponseAsync_CharacterResponses_AreRemovedByInvalidatePatternOfTheCharacter()
    {
        using var rig = new ChatRig();
        await rig.Ask("Can you fix my sword?", Chat.For(character: "npc:blacksmith", context: "forge"));
        await rig.Ask("Any rumours?", Chat.For(character: "npc:blacksmith", context: "tavern"));
        await rig.Ask("A room, please.", Chat.For(character: "npc:innkeeper", context: "tavern"));

        var removed = rig.Cache.InvalidatePattern("npc:blacksmith");
        await rig.Ask("Can you fix my sword?", Chat.For(character: "npc:blacksmith", context: "forge"));
        await rig.Ask("A room, please.", Chat.For(character: "npc:innkeeper", context: "tavern"));

        Assert.Equal(2, removed);
        Assert.Equal(4, rig.Model.Calls);
    }

    [Fact]
    public async Task GetResponseAsync_CharacterPattern_RemovesOnlyThatCharacter()
    {
        using var rig = new ChatRig();
        await rig.Ask("Hello", Chat.For(character: "Old Smith"));
        await rig.Ask("Hello", Chat.For(character: "smith"));

        var removed = rig.Cache.InvalidatePattern(DialogueKey.CharacterPattern("Old Smith"));

        Assert.Equal(1, removed);
        Assert.Equal(1, rig.Cache.Analytics().CurrentSize);
    }

    [Fact]
    public async Task GetResponseAsync_ControlProperties_AreRemovedFromTheOptionsTheModelSees()
    {
        using var rig = new ChatRig();
        var options = Chat.For(character: "npc:blacksmith", context: "forge", ttl: 60).With("logprobs", true);
        options.Temperature = 0.3f;

        await rig.Ask("Can you fix my sword?", options);

        var seen = Assert.Single(rig.Model.Requests).Options!;
        Assert.Equal(0.3f, seen.Temperature);
        Assert.Equal(true, seen.AdditionalProperties!["logprobs"]);
        Assert.DoesNotContain(seen.AdditionalProperties.Keys, k => k.StartsWith("dialogue.", StringComparison.Ordinal));
        Assert.Equal(4, options.AdditionalProperties!.Count);   // the caller's options are left as they were
    }

    [Fact]
    public async Task GetResponseAsync_OnlyControlProperties_ModelSeesNoAdditionalProperties()
    {
        using var rig = new ChatRig();

        await rig.Ask("Can you fix my sword?", Chat.For(character: "npc:blacksmith"));

        Assert.Null(Assert.Single(rig.Model.Requests).Options!.AdditionalProperties);
    }

    [Fact]
    public async Task GetResponseAsync_NoOptions_ModelGetsNoOptions()
    {
        using var rig = new ChatRig();

        await rig.Ask("Can you fix my sword?");

        Assert.Null(Assert.Single(rig.Model.Requests).Options);
    }

    [Fact]
    public void Constructor_DefaultSettings_AreDocumentedValues()
    {
        using var rig = new ChatRig();

        Assert.Same(rig.Cache, rig.Client.Cache);
        Assert.Equal("chat", rig.Client.DefaultCharacter);
        Assert.Equal(1, rig.Client.Variants);
        Assert.Null(rig.Client.Ttl);
        Assert.False(rig.Client.CacheToolCallsInFlight);
        Assert.True(rig.Client.CoalesceStreamingUpdates);
        Assert.Same(AIJsonUtilities.DefaultOptions, rig.Client.JsonSerializerOptions);
        Assert.True(rig.Client.StorePredicate(new ChatResponse { FinishReason = ChatFinishReason.Stop }));
        Assert.False(rig.Client.StorePredicate(new ChatResponse { FinishReason = ChatFinishReason.Length }));
        Assert.False(rig.Client.StorePredicate(new ChatResponse()));
    }

    [Fact]
    public async Task GetService_DialogueCachingChatClient_IsFoundInThePipeline()
    {
        using var rig = new ChatRig();
        using var pipeline = new ChatClientBuilder(rig.Model).UseDialogueCache(rig.Cache).Build();

        var found = pipeline.GetService<DialogueCachingChatClient>();

        Assert.NotNull(found);
        await pipeline.GetResponseAsync(Chat.Conversation("Hello"));
        Assert.Equal(1, rig.Cache.Analytics().CurrentSize);
    }
}
