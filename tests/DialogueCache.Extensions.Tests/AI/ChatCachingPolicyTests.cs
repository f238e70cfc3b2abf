using Microsoft.Extensions.AI;

namespace Dialogue.Caching.Tests.AI;

public sealed class ChatCachingPolicyTests
{
    [Fact]
    public async Task GetResponseAsync_ConversationId_IsNeitherReadNorStored()
    {
        using var rig = new ChatRig();
        var options = new ChatOptions { ConversationId = "thread-1" };

        await rig.Ask("Hello", options);
        await rig.Ask("Hello", options);

        Assert.Equal(2, rig.Model.Calls);
        var stats = rig.Cache.Analytics();
        Assert.Equal(0, stats.Hits + stats.Misses);
        Assert.Equal(0, stats.CurrentSize);
        Assert.Equal("thread-1", rig.Model.Requests[1].Options!.ConversationId);
    }

    [Fact]
    public async Task GetStreamingResponseAsync_ConversationId_IsNeitherReadNorStored()
    {
        using var rig = new ChatRig();
        var options = new ChatOptions { ConversationId = "thread-1" };

        await rig.AskStreaming("Hello", options);
        await rig.AskStreaming("Hello", options);

        Assert.Equal(2, rig.Model.Calls);
        Assert.Equal(0, rig.Cache.Analytics().CurrentSize);
    }

    [Fact]
    public void CacheConversationRequests_IsOffByDefault()
    {
        using var rig = new ChatRig();

        Assert.False(rig.Client.CacheConversationRequests);
    }

    [Fact]
    public async Task GetResponseAsync_ConversationIdWithCacheConversationRequests_IsCachedWithinItsConversationOnly()
    {
        using var rig = new ChatRig(configure: c => c.CacheConversationRequests = true);

        var first = await rig.Ask("Hello", new ChatOptions { ConversationId = "thread-1" });
        var again = await rig.Ask("Hello", new ChatOptions { ConversationId = "thread-1" });
        Assert.Equal(1, rig.Model.Calls);
        Assert.Equal(first.Text, again.Text);

        await rig.Ask("Hello", new ChatOptions { ConversationId = "Thread-1" });
        await rig.Ask("Hello", new ChatOptions { ConversationId = "thread-2" });
        await rig.Ask("Hello");

        Assert.Equal(4, rig.Model.Calls);
        Assert.Equal(4, rig.Cache.Analytics().CurrentSize);
        Assert.Equal(["thread-1", "Thread-1", "thread-2", null], rig.Model.Requests.Select(r => r.Options?.ConversationId));
    }

    [Fact]
    public async Task GetStreamingResponseAsync_ConversationIdWithCacheConversationRequests_IsStoredAndReplayed()
    {
        using var rig = new ChatRig(configure: c => c.CacheConversationRequests = true);
        var options = new ChatOptions { ConversationId = "thread-1" };

        var first = await rig.AskStreaming("Hello", options);
        var second = await rig.AskStreaming("Hello", options);

        Assert.Equal(1, rig.Model.Calls);
        Assert.Equal(first, second);
        Assert.Equal(1, rig.Cache.Analytics().Hits);
    }

    [Fact]
    public async Task GetResponseAsync_ToolResultsAfterLastUserMessage_AreNotCachedByDefault()
    {
        using var rig = new ChatRig();

        await rig.Client.GetResponseAsync(ToolLoop());
        await rig.Client.GetResponseAsync(ToolLoop());

        Assert.Equal(2, rig.Model.Calls);
        Assert.Equal(0, rig.Cache.Analytics().CurrentSize);
    }

    [Fact]
    public async Task GetResponseAsync_ToolResultsWithCacheToolCallsInFlight_AreCached()
    {
        using var rig = new ChatRig(configure: c => c.CacheToolCallsInFlight = true);

        await rig.Client.GetResponseAsync(ToolLoop());
        await rig.Client.GetResponseAsync(ToolLoop());

        Assert.Equal(1, rig.Model.Calls);
    }

    [Fact]
    public async Task GetResponseAsync_ToolExchangeFinishedBeforeTheLastUserMessage_IsCached()
    {
        using var rig = new ChatRig();
        var conversation = ToolLoop();
        conversation.Add(new ChatMessage(ChatRole.Assistant, "It will be sunny."));
        conversation.Add(new ChatMessage(ChatRole.User, "Thanks!"));

        await rig.Client.GetResponseAsync(conversation);
        await rig.Client.GetResponseAsync(conversation);

        Assert.Equal(1, rig.Model.Calls);
    }

    [Fact]
    public async Task GetResponseAsync_ResponseAskingForToolCalls_IsNotStored()
    {
        using var rig = new ChatRig();
        rig.Model.FinishReason = ChatFinishReason.ToolCalls;

        await rig.Ask("Will it rain?");
        await rig.Ask("Will it rain?");

        Assert.Equal(2, rig.Model.Calls);
        Assert.Equal(0, rig.Cache.Analytics().CurrentSize);
    }

    [Theory]
    [InlineData("length")]
    [InlineData("content_filter")]
    [InlineData(null)]
    public async Task GetResponseAsync_FinishReasonOtherThanStop_IsReturnedButNotStored(string? reason)
    {
        using var rig = new ChatRig();
        rig.Model.FinishReason = reason is null ? null : new ChatFinishReason(reason);

        var response = await rig.Ask("Tell me everything.");
        await rig.Ask("Tell me everything.");

        Assert.Equal("Welcome to the forge, traveller. What do you need?", response.Text);
        Assert.Equal(2, rig.Model.Calls);
        Assert.Equal(0, rig.Cache.Analytics().CurrentSize);
    }

    [Fact]
    public async Task GetStreamingResponseAsync_FinishReasonLength_IsNotStored()
    {
        using var rig = new ChatRig();
        rig.Model.FinishReason = ChatFinishReason.Length;

        await rig.AskStreaming("Tell me everything.");
        await rig.AskStreaming("Tell me everything.");

        Assert.Equal(2, rig.Model.Calls);
        Assert.Equal(0, rig.Cache.Analytics().CurrentSize);
    }

    [Fact]
    public async Task GetResponseAsync_StorePredicateConfigured_DecidesWhatIsStored()
    {
        using var rig = new ChatRig(configure: c => c.StorePredicate = r => r.FinishReason == ChatFinishReason.Length);
        rig.Model.FinishReason = ChatFinishReason.Length;

        await rig.Ask("Tell me everything.");
        await rig.Ask("Tell me everything.");

        Assert.Equal(1, rig.Model.Calls);
    }

    [Fact]
    public async Task GetStreamingResponseAsync_StorePredicate_SeesTheResponseBuiltFromTheStream()
    {
        ChatResponse? judged = null;
        using var rig = new ChatRig(configure: c => c.StorePredicate = r => { judged = r; return true; });

        await rig.AskStreaming("Hello");

        Assert.NotNull(judged);
        Assert.Equal("Welcome to the forge, traveller. What do you need?", judged.Text);
        Assert.Equal(ChatFinishReason.Stop, judged.FinishReason);
        Assert.Equal(34, judged.Usage?.OutputTokenCount);
    }

    [Fact]
    public async Task GetResponseAsync_StorePredicateThrows_CallerSeesItAndNothingIsStored()
    {
        using var rig = new ChatRig(configure: c => c.StorePredicate = _ => throw new InvalidOperationException("predicate bug"));

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => rig.Ask("Hello"));

        Assert.Equal("predicate bug", error.Message);
        Assert.Equal(0, rig.Cache.Analytics().CurrentSize);
    }

    private static List<ChatMessage> ToolLoop() =>
    [
        new(ChatRole.User, "Will it be sunny tomorrow?"),
        new(ChatRole.Assistant, [new FunctionCallContent("call-1", "get_weather", new Dictionary<string, object?> { ["city"] = "Riverwood" })]),
        new(ChatRole.Tool, [new FunctionResultContent("call-1", "sunny")]),
    ];
}
