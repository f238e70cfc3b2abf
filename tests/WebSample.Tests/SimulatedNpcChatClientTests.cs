using Microsoft.Extensions.AI;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using WebSample.Model;

namespace WebSample.Tests;

public sealed class SimulatedNpcChatClientTests
{
    private static readonly ChatMessage[] Conversation =
        [new(ChatRole.System, "You are npc:guard."), new(ChatRole.User, "Who goes there?")];

    [Fact]
    public async Task GetResponse_SameConversation_SameReplyWithUsage()
    {
        using var client = Create(TimeSpan.Zero, new FakeTimeProvider());

        var first = await client.GetResponseAsync(Conversation);
        var second = await client.GetResponseAsync(Conversation);

        Assert.Equal(first.Text, second.Text);
        Assert.Equal(ChatFinishReason.Stop, first.FinishReason);
        Assert.True(first.Usage!.InputTokenCount > 0 && first.Usage.OutputTokenCount > 0);
        Assert.Equal("simulated-npc-1", first.ModelId);
    }

    [Fact]
    public async Task GetResponse_OtherConversation_OtherReply()
    {
        using var client = Create(TimeSpan.Zero, new FakeTimeProvider());
        var replies = new HashSet<string>();

        for (var i = 0; i < 20; i++)
        {
            replies.Add((await client.GetResponseAsync([new ChatMessage(ChatRole.User, $"question {i}")])).Text);
        }

        Assert.True(replies.Count > 10, $"20 questions got only {replies.Count} distinct replies");
    }

    [Fact]
    public async Task GetResponse_WithLatency_AnswersOnlyWhenItHasPassed()
    {
        var clock = new FakeTimeProvider();
        using var client = Create(TimeSpan.FromMilliseconds(400), clock);

        var reply = client.GetResponseAsync(Conversation);
        clock.Advance(TimeSpan.FromMilliseconds(399));
        Assert.False(reply.IsCompleted);
        clock.Advance(TimeSpan.FromMilliseconds(1));

        Assert.False(string.IsNullOrEmpty((await reply).Text));
    }

    [Fact]
    public async Task GetResponse_CancelledWhileWaiting_Throws()
    {
        var clock = new FakeTimeProvider();
        using var client = Create(TimeSpan.FromSeconds(1), clock);
        using var cancel = new CancellationTokenSource();

        var reply = client.GetResponseAsync(Conversation, cancellationToken: cancel.Token);
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => reply);
    }

    [Fact]
    public async Task GetStreamingResponse_SameTextAsNonStreaming()
    {
        using var client = Create(TimeSpan.Zero, new FakeTimeProvider());

        var streamed = await client.GetStreamingResponseAsync(Conversation).ToChatResponseAsync();

        Assert.Equal((await client.GetResponseAsync(Conversation)).Text, streamed.Text);
        Assert.Equal(ChatFinishReason.Stop, streamed.FinishReason);
        Assert.True(streamed.Usage!.OutputTokenCount > 0);
    }

    [Fact]
    public void GetService_Metadata_NamesTheModel()
    {
        using var client = Create(TimeSpan.Zero, new FakeTimeProvider());

        var metadata = client.GetService<ChatClientMetadata>();

        Assert.Equal(("simulated", "simulated-npc-1"), (metadata!.ProviderName, metadata.DefaultModelId));
    }

    private static SimulatedNpcChatClient Create(TimeSpan latency, TimeProvider clock) =>
        new(Options.Create(new SimulatedModelOptions { Latency = latency }), clock);
}
