using Microsoft.Extensions.AI;

namespace Dialogue.Caching.Tests.AI;

public sealed class ChatStreamingTests
{
    [Fact]
    public async Task GetStreamingResponseAsync_Miss_StreamsEachUpdateAsItArrives()
    {
        using var rig = new ChatRig();
        rig.Model.Hold = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        rig.Model.HoldBeforeChunk = 1;

        await using var stream = rig.Client.GetStreamingResponseAsync(Chat.Conversation("Hello")).GetAsyncEnumerator();

        // The first chunk reaches the caller while the model is still holding the rest back.
        Assert.True(await stream.MoveNextAsync());
        Assert.Equal("Welcome to the fo", stream.Current.Text);
        var second = stream.MoveNextAsync();
        Assert.False(second.IsCompleted);

        rig.Model.Hold.SetResult();
        Assert.True(await second);
        Assert.Equal("rge, traveller. W", stream.Current.Text);
    }

    [Fact]
    public async Task GetStreamingResponseAsync_CompletedStream_IsStoredAndAHitReplaysItAsAStream()
    {
        using var rig = new ChatRig();
        var live = await Collect(rig.Client.GetStreamingResponseAsync(Chat.Conversation("Hello")));

        var replay = await Collect(rig.Client.GetStreamingResponseAsync(Chat.Conversation("Hello")));

        Assert.Equal(1, rig.Model.Calls);
        Assert.True(live.Count > 1);
        Assert.NotEmpty(replay);
        Assert.Equal(live.ToChatResponse().Text, replay.ToChatResponse().Text);
        Assert.Equal(ChatFinishReason.Stop, replay.ToChatResponse().FinishReason);
        Assert.Equal(34, replay.ToChatResponse().Usage?.OutputTokenCount);
        Assert.Equal(1, rig.Cache.Analytics().Hits);
    }

    [Fact]
    public async Task GetStreamingResponseAsync_CoalesceStreamingUpdatesOff_ReplaysTheUpdatesAsReceived()
    {
        using var rig = new ChatRig(configure: c => c.CoalesceStreamingUpdates = false);
        rig.Model.Chunks = 5;
        var live = await Collect(rig.Client.GetStreamingResponseAsync(Chat.Conversation("Hello")));

        var replay = await Collect(rig.Client.GetStreamingResponseAsync(Chat.Conversation("Hello")));

        Assert.Equal(1, rig.Model.Calls);
        Assert.Equal(live.Select(u => u.Text), replay.Select(u => u.Text));
        Assert.Contains("\"updates\":", rig.Cache.Get(rig.SingleKey()), StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetStreamingResponseAsync_CoalesceStreamingUpdatesOn_StoresOneResponse()
    {
        using var rig = new ChatRig();
        rig.Model.Chunks = 5;

        await rig.AskStreaming("Hello");

        var stored = rig.Cache.Get(rig.SingleKey())!;
        Assert.Contains("\"response\":", stored, StringComparison.Ordinal);
        Assert.DoesNotContain("\"updates\":", stored, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetStreamingResponseAsync_ModelFailsMidway_CallerGetsTheChunksThenTheErrorAndNothingIsStored()
    {
        using var rig = new ChatRig();
        rig.Model.FailAfterChunks = 1;
        var received = new List<string>();

        var error = await Assert.ThrowsAsync<InvalidOperationException>(async () =>
        {
            await foreach (var update in rig.Client.GetStreamingResponseAsync(Chat.Conversation("Hello")))
            {
                received.Add(update.Text);
            }
        });

        Assert.Equal("The model failed.", error.Message);
        Assert.Equal(["Welcome to the fo"], received);
        Assert.Equal(0, rig.Cache.Analytics().CurrentSize);

        rig.Model.FailAfterChunks = null;
        Assert.Equal("Welcome to the forge, traveller. What do you need?", await rig.AskStreaming("Hello"));
        Assert.Equal(2, rig.Model.Calls);
    }

    [Fact]
    public async Task GetStreamingResponseAsync_CallerCancelsMidway_ModelCallIsCancelledAndNothingIsStored()
    {
        using var rig = new ChatRig();
        rig.Model.Hold = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        rig.Model.HoldBeforeChunk = 1;
        using var cancellation = new CancellationTokenSource();

        await using (var stream = rig.Client.GetStreamingResponseAsync(Chat.Conversation("Hello"), cancellationToken: cancellation.Token).GetAsyncEnumerator())
        {
            Assert.True(await stream.MoveNextAsync());
            var next = stream.MoveNextAsync();
            await cancellation.CancelAsync();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await next);
        }

        await rig.Model.Ended(1);
        Assert.Equal(1, rig.Model.Cancelled);
        Assert.Equal(0, rig.Cache.Analytics().CurrentSize);

        rig.Model.Hold = null;
        await rig.AskStreaming("Hello");
        Assert.Equal(2, rig.Model.Calls);
    }

    [Fact]
    public async Task GetStreamingResponseAsync_CallerStopsReadingEarly_ModelCallIsCancelledAndNothingIsStored()
    {
        using var rig = new ChatRig();
        rig.Model.Hold = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        rig.Model.HoldBeforeChunk = 1;

        await foreach (var update in rig.Client.GetStreamingResponseAsync(Chat.Conversation("Hello")))
        {
            break;
        }

        await rig.Model.Ended(1);
        Assert.Equal(1, rig.Model.Cancelled);
        Assert.Equal(0, rig.Cache.Analytics().CurrentSize);
    }

    [Fact]
    public async Task GetStreamingResponseAsync_HitReplayCancelled_Throws()
    {
        using var rig = new ChatRig();
        await rig.AskStreaming("Hello");
        using var cancellation = new CancellationTokenSource();
        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => rig.AskStreaming("Hello", cancellationToken: cancellation.Token));
    }

    [Fact]
    public async Task GetResponseAsync_AfterStreamingMiss_IsServedFromTheSameEntry()
    {
        using var rig = new ChatRig();
        var streamed = await rig.AskStreaming("Hello");

        var response = await rig.Ask("Hello");

        Assert.Equal(1, rig.Model.Calls);
        Assert.Equal(streamed, response.Text);
    }

    [Fact]
    public async Task GetStreamingResponseAsync_AfterNonStreamingMiss_ReplaysItAsAStream()
    {
        using var rig = new ChatRig();
        var response = await rig.Ask("Hello");

        var streamed = await rig.AskStreaming("Hello");

        Assert.Equal(1, rig.Model.Calls);
        Assert.Equal(response.Text, streamed);
    }

    [Fact]
    public async Task GetStreamingResponseAsync_Miss_MeasuresTheStreamsLatencyForSavings()
    {
        using var rig = new ChatRig();
        rig.Model.Latency = TimeSpan.FromSeconds(2.5);
        await rig.AskStreaming("Hello");

        await rig.AskStreaming("Hello");

        Assert.Equal(TimeSpan.FromSeconds(2.5), rig.Cache.Analytics().LatencySaved);
    }

    private static async Task<List<ChatResponseUpdate>> Collect(IAsyncEnumerable<ChatResponseUpdate> stream)
    {
        var updates = new List<ChatResponseUpdate>();
        await foreach (var update in stream)
        {
            updates.Add(update);
        }

        return updates;
    }
}
