using Dialogue.Caching.AI;
using Microsoft.Extensions.AI;

namespace Dialogue.Caching.Tests.AI;

/// <summary>
/// Concurrent identical requests make one model call. Calls are started from the test thread while the model is
/// held: each call has joined the in-flight model call by the time it returns its task or its first update, so the
/// overlap is deterministic.
/// </summary>
public sealed class ChatStampedeTests
{
    [Fact]
    public async Task GetResponseAsync_ConcurrentIdenticalRequests_MakeOneModelCall()
    {
        using var rig = Held();

        var callers = Enumerable.Range(0, 10).Select(_ => rig.Ask("Hello")).ToList();
        rig.Model.Hold!.SetResult();
        var responses = await Task.WhenAll(callers);

        Assert.Equal(1, rig.Model.Calls);
        Assert.All(responses, r => Assert.Equal("Welcome to the forge, traveller. What do you need?", r.Text));
        Assert.Equal(10, responses.Distinct().Count());   // every caller gets its own object
        Assert.Equal(1, rig.Cache.Analytics().CurrentSize);
        Assert.Equal(10, rig.Cache.Analytics().Misses);
        Assert.Equal(1, rig.Cache.Analytics().FactoryCalls);
        Assert.Equal(9, rig.Cache.Analytics().CoalescedCalls);
    }

    [Fact]
    public async Task GetResponseAsync_IdenticalCallFinishesBetweenAMissAndItsModelCall_ServesTheStoredResponse()
    {
        using var rig = new ChatRig();
        rig.Model.Reply = call => $"reply {call}";
        var cache = new ForwardingDialogueCache(rig.Cache);
        using var client = new DialogueCachingChatClient(rig.Model, cache, rig.Time);
        var raced = false;
        cache.AfterTryGet = (_, found) =>
        {
            if (!found && !raced)
            {
                // This caller has missed; another caller's whole call (model, store, release) lands right now.
                raced = true;
                Assert.Equal("reply 1", client.GetResponseAsync(Chat.Conversation("Hello")).GetAwaiter().GetResult().Text);
            }
        };

        var response = await client.GetResponseAsync(Chat.Conversation("Hello"));

        Assert.True(raced);
        Assert.Equal("reply 1", response.Text);
        Assert.Equal(1, rig.Model.Calls);
    }

    [Fact]
    public async Task GetStreamingResponseAsync_IdenticalCallFinishesBetweenAMissAndItsModelCall_ReplaysTheStoredResponse()
    {
        using var rig = new ChatRig();
        rig.Model.Reply = call => $"reply {call}";
        var cache = new ForwardingDialogueCache(rig.Cache);
        using var client = new DialogueCachingChatClient(rig.Model, cache, rig.Time);
        var raced = false;
        cache.AfterTryGet = (_, found) =>
        {
            if (!found && !raced)
            {
                raced = true;
                client.GetResponseAsync(Chat.Conversation("Hello")).GetAwaiter().GetResult();
            }
        };

        var updates = new List<ChatResponseUpdate>();
        await foreach (var update in client.GetStreamingResponseAsync(Chat.Conversation("Hello")))
        {
            updates.Add(update);
        }

        Assert.True(raced);
        Assert.Equal("reply 1", updates.ToChatResponse().Text);
        Assert.Equal(1, rig.Model.Calls);
    }

    [Fact]
    public async Task GetResponseAsync_RequestAfterTheSharedCallCompleted_Hits()
    {
        using var rig = Held();
        var first = rig.Ask("Hello");
        rig.Model.Hold!.SetResult();
        await first;

        await rig.Ask("Hello");

        Assert.Equal(1, rig.Model.Calls);
        Assert.Equal(1, rig.Cache.Analytics().Hits);
    }

    [Fact]
    public async Task GetStreamingResponseAsync_ConcurrentIdenticalStreams_MakeOneModelCallAndAllGetTheWholeStream()
    {
        using var rig = Held(beforeChunk: 1);
        var streams = Enumerable.Range(0, 3).Select(_ => rig.Client.GetStreamingResponseAsync(Chat.Conversation("Hello")).GetAsyncEnumerator()).ToList();
        foreach (var stream in streams)
        {
            Assert.True(await stream.MoveNextAsync());
            Assert.Equal("Welcome to the fo", stream.Current.Text);
        }

        rig.Model.Hold!.SetResult();
        var texts = new List<string>();
        foreach (var stream in streams)
        {
            var updates = new List<ChatResponseUpdate> { stream.Current };
            while (await stream.MoveNextAsync())
            {
                updates.Add(stream.Current);
            }

            texts.Add(updates.ToChatResponse().Text);
            await stream.DisposeAsync();
        }

        Assert.Equal(1, rig.Model.Calls);
        Assert.All(texts, t => Assert.Equal("Welcome to the forge, traveller. What do you need?", t));
        Assert.Equal(1, rig.Cache.Analytics().CurrentSize);
    }

    [Fact]
    public async Task GetStreamingResponseAsync_LateJoiner_CatchesUpOnEarlierChunksThenFollowsLive()
    {
        using var rig = Held(beforeChunk: 2);
        await using var first = rig.Client.GetStreamingResponseAsync(Chat.Conversation("Hello")).GetAsyncEnumerator();
        Assert.True(await first.MoveNextAsync());
        Assert.True(await first.MoveNextAsync());

        await using var late = rig.Client.GetStreamingResponseAsync(Chat.Conversation("Hello")).GetAsyncEnumerator();
        Assert.True(await late.MoveNextAsync());
        Assert.Equal("Welcome to the fo", late.Current.Text);
        Assert.True(await late.MoveNextAsync());
        Assert.Equal("rge, traveller. W", late.Current.Text);
        var lateThird = late.MoveNextAsync();
        Assert.False(lateThird.IsCompleted);

        rig.Model.Hold!.SetResult();

        Assert.True(await lateThird);
        Assert.Equal("hat do you need?", late.Current.Text);
        Assert.Equal(1, rig.Model.Calls);
    }

    [Fact]
    public async Task GetStreamingResponseAsync_Follower_GetsCopiesNotTheOwnersObjects()
    {
        using var rig = Held(beforeChunk: 1);
        await using var owner = rig.Client.GetStreamingResponseAsync(Chat.Conversation("Hello")).GetAsyncEnumerator();
        await using var follower = rig.Client.GetStreamingResponseAsync(Chat.Conversation("Hello")).GetAsyncEnumerator();

        Assert.True(await owner.MoveNextAsync());
        Assert.True(await follower.MoveNextAsync());

        Assert.NotSame(owner.Current, follower.Current);
        Assert.Equal(owner.Current.Text, follower.Current.Text);
        rig.Model.Hold!.SetResult();
    }

    [Fact]
    public async Task GetResponseAsync_JoiningAStreamingCall_SharesItAndGetsTheWholeResponse()
    {
        using var rig = Held(beforeChunk: 1);
        await using var stream = rig.Client.GetStreamingResponseAsync(Chat.Conversation("Hello")).GetAsyncEnumerator();
        Assert.True(await stream.MoveNextAsync());

        var response = rig.Ask("Hello");
        rig.Model.Hold!.SetResult();
        while (await stream.MoveNextAsync())
        {
        }

        Assert.Equal("Welcome to the forge, traveller. What do you need?", (await response).Text);
        Assert.Equal(1, rig.Model.Calls);
        Assert.True(rig.Model.Requests[0].Streaming);
    }

    [Fact]
    public async Task GetStreamingResponseAsync_JoiningANonStreamingCall_ReplaysItsResponseAsAStream()
    {
        using var rig = Held();
        var response = rig.Ask("Hello");

        var streamed = rig.AskStreaming("Hello");
        rig.Model.Hold!.SetResult();

        Assert.Equal((await response).Text, await streamed);
        Assert.Equal(1, rig.Model.Calls);
        Assert.False(rig.Model.Requests[0].Streaming);
    }

    [Fact]
    public async Task GetResponseAsync_OneCallerCancels_TheOthersGetTheResponseAndItIsStored()
    {
        using var rig = Held();
        using var impatient = new CancellationTokenSource();
        var leaving = rig.Ask("Hello", cancellationToken: impatient.Token);
        var staying = rig.Ask("Hello");

        await impatient.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => leaving);
        rig.Model.Hold!.SetResult();

        Assert.Equal("Welcome to the forge, traveller. What do you need?", (await staying).Text);
        Assert.Equal(0, rig.Model.Cancelled);
        Assert.Equal(1, rig.Cache.Analytics().CurrentSize);
    }

    [Fact]
    public async Task GetStreamingResponseAsync_FirstCallerStopsReading_FollowerStillGetsTheWholeStreamAndItIsStored()
    {
        using var rig = Held(beforeChunk: 1);
        var owner = rig.Client.GetStreamingResponseAsync(Chat.Conversation("Hello")).GetAsyncEnumerator();
        Assert.True(await owner.MoveNextAsync());
        var follower = rig.AskStreaming("Hello");

        await owner.DisposeAsync();
        rig.Model.Hold!.SetResult();

        Assert.Equal("Welcome to the forge, traveller. What do you need?", await follower);
        Assert.Equal(1, rig.Model.Calls);
        Assert.Equal(0, rig.Model.Cancelled);
        Assert.Equal(1, rig.Cache.Analytics().CurrentSize);
    }

    [Fact]
    public async Task GetResponseAsync_EveryCallerCancels_ModelCallIsCancelledAndTheNextRequestStartsAFreshOne()
    {
        using var rig = Held();
        using var cancellation = new CancellationTokenSource();
        var callers = Enumerable.Range(0, 3).Select(_ => rig.Ask("Hello", cancellationToken: cancellation.Token)).ToList();

        await cancellation.CancelAsync();
        foreach (var caller in callers)
        {
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => caller);
        }

        await rig.Model.Ended(1);
        rig.Model.Hold = null;
        var fresh = await rig.Ask("Hello");

        Assert.Equal(1, rig.Model.Cancelled);
        Assert.Equal(2, rig.Model.Calls);
        Assert.Equal("Welcome to the forge, traveller. What do you need?", fresh.Text);
    }

    [Fact]
    public async Task GetResponseAsync_ModelFails_EveryWaiterSeesTheErrorAndNothingIsStored()
    {
        using var rig = Held();
        rig.Model.FailAfterChunks = 0;
        var callers = Enumerable.Range(0, 3).Select(_ => rig.Ask("Hello")).ToList();

        rig.Model.Hold!.SetResult();

        foreach (var caller in callers)
        {
            var error = await Assert.ThrowsAsync<InvalidOperationException>(() => caller);
            Assert.Equal("The model failed.", error.Message);
        }

        Assert.Equal(1, rig.Model.Calls);
        Assert.Equal(0, rig.Cache.Analytics().CurrentSize);
    }

    [Fact]
    public async Task GetStreamingResponseAsync_ModelFailsMidway_EveryStreamSeesTheErrorAndNothingIsStored()
    {
        using var rig = Held(beforeChunk: 1);
        rig.Model.FailAfterChunks = 1;
        var streams = Enumerable.Range(0, 2).Select(_ => rig.AskStreaming("Hello")).ToList();

        rig.Model.Hold!.SetResult();

        foreach (var stream in streams)
        {
            await Assert.ThrowsAsync<InvalidOperationException>(() => stream);
        }

        Assert.Equal(1, rig.Model.Calls);
        Assert.Equal(0, rig.Cache.Analytics().CurrentSize);
    }

    [Fact]
    public async Task GetResponseAsync_ResponseNotToBeStored_IsSharedByTheConcurrentCallersOnly()
    {
        using var rig = Held();
        rig.Model.FinishReason = ChatFinishReason.Length;
        var callers = Enumerable.Range(0, 3).Select(_ => rig.Ask("Hello")).ToList();

        rig.Model.Hold!.SetResult();
        await Task.WhenAll(callers);
        await rig.Ask("Hello");

        Assert.Equal(2, rig.Model.Calls);
        Assert.Equal(0, rig.Cache.Analytics().CurrentSize);
    }

    [Fact]
    public async Task GetResponseAsync_DifferentRequests_DoNotShareACall()
    {
        using var rig = Held();

        var a = rig.Ask("Hello");
        var b = rig.Ask("Goodbye");
        rig.Model.Hold!.SetResult();
        await Task.WhenAll(a, b);

        Assert.Equal(2, rig.Model.Calls);
    }

    private static ChatRig Held(int beforeChunk = 0)
    {
        var rig = new ChatRig();
        rig.Model.Hold = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        rig.Model.HoldBeforeChunk = beforeChunk;
        return rig;
    }
}
